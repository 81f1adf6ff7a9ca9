using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ItemsApi.DeployTime.Tests;

/// <summary>
/// The checks the Pulumi engine makes on Pulumi.yaml and a stack's config before any program runs, written
/// from the engine's source (pulumi/pulumi, sdk/go/common/workspace):
/// <list type="bullet">
/// <item>project.json: a typed declaration has only type/items/description/secret/default; type is one of
/// string | integer | boolean | array, and an array needs items ("could not validate 'Pulumi.yaml'").</item>
/// <item>project.go, Project.Validate and ValidateConfigValue: a default must match the declared type
/// (integer: a whole number or a string that parses as one; boolean: true/false or "true"/"false").</item>
/// <item>config.go, mergeConfig: a declared key with no default that the stack does not set is an error
/// ("Stack 'dev' is missing configuration value(s) ..."); defaults are applied as plain values.</item>
/// <item>config.go, validateStackConfigValue: a key declared secret must hold an encrypted value ("must be
/// encrypted as it's secret"), and every value must match the declared type ("must be of type ...").
/// Stack values other than lists reach the check as text.</item>
/// </list>
/// The CLI is not on the machines that run our tests, so these rules are applied here instead.
/// </summary>
public static partial class PulumiEngineRules
{
    private static readonly string[] DeclarationAttributes = ["type", "items", "description", "secret", "default"];
    private static readonly string[] SimpleTypes = ["string", "integer", "boolean", "array"];

    public sealed record Declaration(string Key, string? Type, string? ItemsType, object? Default, bool HasDefault, bool Secret);

    /// <summary>Checks a Pulumi.yaml; returns its config declarations and every error found.</summary>
    public static (IReadOnlyList<Declaration> Declarations, IReadOnlyList<string> Errors) CheckProject(string projectYaml)
    {
        var errors = new List<string>();
        var declarations = new List<Declaration>();
        var root = (YamlMappingNode)Load(projectYaml);
        string name = root.Children.TryGetValue(new YamlScalarNode("name"), out YamlNode? n) ? ((YamlScalarNode)n).Value ?? "" : "";
        if (name.Length == 0) errors.Add("project is missing a 'name' attribute");
        if (!root.Children.ContainsKey(new YamlScalarNode("runtime"))) errors.Add("project is missing a 'runtime' attribute");
        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out YamlNode? configNode) || configNode is not YamlMappingNode config)
            return (declarations, errors);

        foreach ((YamlNode keyNode, YamlNode valueNode) in config.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value!;
            bool projectKey = !key.Contains(':') || key.StartsWith(name + ":", StringComparison.Ordinal);
            string shortKey = key.StartsWith(name + ":", StringComparison.Ordinal) ? key[(name.Length + 1)..] : key;
            if (!projectKey) continue; // provider values such as aws:region carry a value, not a type
            if (valueNode is not YamlMappingNode declaration)
            {
                // Shorthand: the value is a default with no type.
                declarations.Add(new Declaration(shortKey, null, null, Typed(valueNode), true, false));
                continue;
            }
            var attributes = declaration.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => kv.Value);
            foreach (string attribute in attributes.Keys.Where(a => !DeclarationAttributes.Contains(a)))
                errors.Add($"#/config/{key}: additionalProperties '{attribute}' not allowed");
            string? type = attributes.TryGetValue("type", out YamlNode? t) ? ((YamlScalarNode)t).Value : null;
            if (type is null) errors.Add($"#/config/{key}: missing properties: 'type'");
            else if (!SimpleTypes.Contains(type)) errors.Add($"#/config/{key}/type: value must be one of \"string\", \"integer\", \"boolean\", \"array\" (got '{type}')");
            string? itemsType = null;
            if (attributes.TryGetValue("items", out YamlNode? items))
                itemsType = items is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("type"), out YamlNode? it) ? ((YamlScalarNode)it).Value : null;
            if (type == "array" && itemsType is null)
                errors.Add($"The configuration key '{key}' declares an array but does not specify the underlying type via the 'items' attribute");
            bool secret = attributes.TryGetValue("secret", out YamlNode? s) && Typed(s) is true;
            bool hasDefault = attributes.TryGetValue("default", out YamlNode? d) && Typed(d) is not null;
            object? @default = hasDefault ? Typed(d!) : null;
            if (hasDefault && type is not null && SimpleTypes.Contains(type) && !IsOfType(type, itemsType, @default))
                errors.Add($"The default value specified for configuration key '{key}' is not of the expected type '{(itemsType is null ? type : $"array<{itemsType}>")}'");
            declarations.Add(new Declaration(shortKey, type, itemsType, @default, hasDefault, secret));
        }
        return (declarations, errors);
    }

    /// <summary>Checks one stack's config file (null: a stack just made with `pulumi stack init`, no config).</summary>
    public static IReadOnlyList<string> CheckStack(string projectName, IReadOnlyList<Declaration> declarations, string stackName, string? stackYaml)
    {
        var values = new Dictionary<string, StackValue>(StringComparer.Ordinal);
        if (stackYaml is not null && Load(stackYaml) is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out YamlNode? c) && c is YamlMappingNode config)
        {
            foreach ((YamlNode keyNode, YamlNode valueNode) in config.Children)
            {
                string key = ((YamlScalarNode)keyNode).Value!;
                if (!key.StartsWith(projectName + ":", StringComparison.Ordinal)) continue;
                values[key[(projectName.Length + 1)..]] = valueNode switch
                {
                    YamlMappingNode secure when secure.Children.ContainsKey(new YamlScalarNode("secure")) => new StackValue(null, Secure: true),
                    YamlScalarNode scalar => new StackValue(scalar.Value ?? "", Secure: false),
                    _ => new StackValue(JsonObject(valueNode), Secure: false),
                };
            }
        }

        var errors = new List<string>();
        List<string> missing = declarations.Where(d => !values.ContainsKey(d.Key) && !d.HasDefault).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"Stack '{stackName}' is missing configuration value{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(k => $"'{k}'"))}");
            return errors;
        }
        foreach (Declaration declaration in declarations.Where(d => d.Type is not null).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            // Defaults are applied to the stack as plain values: text for scalars, JSON for lists.
            StackValue value = values.TryGetValue(declaration.Key, out StackValue? set) ? set
                : declaration.Default is IReadOnlyList<object?> list ? new StackValue(list, Secure: false)
                : new StackValue(PlainText(declaration.Default), Secure: false);
            if (declaration.Secret && !value.Secure)
            {
                errors.Add($"Stack '{stackName}' with configuration key '{declaration.Key}' must be encrypted as it's secret");
                continue;
            }
            if (!value.Secure && !IsOfType(declaration.Type!, declaration.ItemsType, value.Content))
                errors.Add($"Stack '{stackName}' with configuration key '{declaration.Key}' must be of type '{(declaration.ItemsType is null ? declaration.Type : $"array<{declaration.ItemsType}>")}'");
        }
        return errors;
    }

    private sealed record StackValue(object? Content, bool Secure);

    /// <summary>ValidateConfigValue: does a value (as YAML typed it, or as text) fit a declared type?</summary>
    private static bool IsOfType(string type, string? itemsType, object? value) => type switch
    {
        "string" => value is string,
        "integer" => value is long or int || value is double d && d == Math.Truncate(d)
            || value is string s && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "boolean" => value is bool || value is "true" or "false",
        _ => value is IReadOnlyList<object?> items && itemsType is not null && items.All(item => IsOfType(itemsType, null, item)),
    };

    /// <summary>A YAML node as the engine's YAML decoder types it: plain scalars become numbers, booleans or null.</summary>
    private static object? Typed(YamlNode node) => node switch
    {
        YamlScalarNode { Style: not ScalarStyle.Plain } quoted => quoted.Value ?? "",
        YamlScalarNode scalar => scalar.Value switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            string v when IntegerPattern().IsMatch(v) => long.Parse(v, CultureInfo.InvariantCulture),
            string v when FloatPattern().IsMatch(v) => double.Parse(v, CultureInfo.InvariantCulture),
            string v => v,
        },
        YamlSequenceNode sequence => sequence.Children.Select(Typed).ToList(),
        _ => node.ToString(),
    };

    /// <summary>createConfigValue: a primitive default becomes its text (fmt %v).</summary>
    private static string? PlainText(object? value) => value switch
    {
        null => null,
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>A list or map from a stack file, as the JSON object the engine checks (typed items).</summary>
    private static object? JsonObject(YamlNode node) =>
        JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Serialize(Typed(node))) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => e.ValueKind switch
            {
                JsonValueKind.String => (object?)e.GetString(),
                JsonValueKind.Number => e.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }).ToList()
            : null;

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : new YamlMappingNode();
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
