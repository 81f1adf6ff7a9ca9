using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ItemsApi.DeployTime.Aws;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

// Config reaches the program through the PULUMI_CONFIG environment variable, so runs must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ItemsApi.Infra.Tests;

/// <summary>One run of the stack under Pulumi's mocks: what it declared and what it exported.</summary>
public sealed class StackRun
{
    private StackRun(AwsMocks mocks, ImmutableArray<Resource> resources, IDictionary<string, object?> outputs)
    {
        Registered = mocks.Registered.ToList();
        Calls = mocks.Calls.ToList();
        Events = mocks.Events.ToList();
        Resources = resources;
        Outputs = outputs;
    }

    public IReadOnlyList<MockResourceArgs> Registered { get; }
    /// <summary>The token of every invoke the program called (<see cref="AwsMocks.Calls"/>).</summary>
    public IReadOnlyList<string> Calls { get; }
    /// <summary>The order in which resources were started and finished (see <see cref="AwsMocks.Events"/>).</summary>
    public IReadOnlyList<string> Events { get; }
    public ImmutableArray<Resource> Resources { get; }
    public IDictionary<string, object?> Outputs { get; }

    /// <summary>
    /// Runs the program the way `pulumi up` does: config as PULUMI_CONFIG (namespaced keys, JSON),
    /// secret keys as PULUMI_CONFIG_SECRET_KEYS.
    /// </summary>
    public static async Task<StackRun> RunAsync(IReadOnlyDictionary<string, string>? config = null, string stack = "dev",
        IEnumerable<string>? secretKeys = null, AwsMocks? mocks = null, Func<StageSettings, Archive>? buildFunctionCode = null,
        Func<string, AwsApis>? aws = null, bool preview = false)
    {
        var namespaced = (config ?? new Dictionary<string, string>()).ToDictionary(kv => $"{ConfigKeys.Project}:{kv.Key}", kv => kv.Value);
        using IDisposable pulumiConfig = EnvironmentVariables.Set(
            ("PULUMI_CONFIG", JsonSerializer.Serialize(namespaced)),
            ("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize((secretKeys ?? []).Select(k => $"{ConfigKeys.Project}:{k}"))));
        mocks ??= new AwsMocks();
        string code = Directory.CreateTempSubdirectory("function-code-").FullName;
        try
        {
            (ImmutableArray<Resource> resources, IDictionary<string, object?> outputs) = await Deployment.TestAsync(mocks,
                new TestOptions { ProjectName = ConfigKeys.Project, StackName = stack, IsPreview = preview },
                () => ItemsApiStack.RunAsync(buildFunctionCode ?? (_ => new FileArchive(code)), aws));
            return new StackRun(mocks, resources, outputs);
        }
        finally
        {
            Directory.Delete(code);
        }
    }

    /// <summary>
    /// The protect option the engine got for a declared resource. Pulumi's mocks never see options and the SDK keeps this
    /// one in a private field, so it is read there: a lost protect then fails a test on the real resource.
    /// </summary>
    public bool IsProtected<T>() where T : CustomResource
    {
        T resource = Assert.Single(Resources.OfType<T>());
        System.Reflection.FieldInfo field = typeof(Resource).GetField("_protect", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new InvalidOperationException("Pulumi.Resource no longer keeps _protect: find where this SDK version keeps the protect option");
        return field.GetValue(resource) is true;
    }

    /// <summary>Where an event (<see cref="AwsMocks.Events"/>) happened; fails when it never did, so an order check cannot pass on -1.</summary>
    public int PositionOf(string evt)
    {
        int index = Events.ToList().IndexOf(evt);
        Assert.True(index >= 0, $"no event {evt}");
        return index;
    }

    // Typed reads, as pulumi/examples' testing-unit-cs does: the resource objects the program made, whose outputs under
    // the mocks are the inputs it declared plus what AwsMocks computes. A misspelt property does not compile.

    /// <summary>The resources of one class the program declared, e.g. <c>run.OfType&lt;ApiGateway.Method&gt;()</c>.</summary>
    public IReadOnlyList<T> OfType<T>() where T : Resource => Resources.OfType<T>().ToList();

    public T Single<T>() where T : Resource => Assert.Single(Resources.OfType<T>());

    public T Named<T>(string name) where T : Resource => Assert.Single(Resources.OfType<T>(), r => r.GetResourceName() == name);

    /// <summary>The resources of a class whose output matches, e.g. the alarms whose name ends in "-concurrency".</summary>
    public async Task<IReadOnlyList<T>> WhereAsync<T, TValue>(Func<T, Output<TValue>> output, Func<TValue, bool> match) where T : Resource
    {
        var matching = new List<T>();
        foreach (T resource in OfType<T>())
            if (match(await output(resource).GetValueAsync())) matching.Add(resource);
        return matching;
    }

    public async Task<T> SingleAsync<T, TValue>(Func<T, Output<TValue>> output, Func<TValue, bool> match) where T : Resource =>
        Assert.Single(await WhereAsync(output, match));

    // Raw engine inputs: the string-keyed dictionaries the mocks received. Only where the engine's wire form is the
    // point: the tags and names of every resource whatever its class, the inputs a deployment snapshots, a remote
    // component's inputs (its class has only outputs), the import id, two stacks' shared resources compared whole, the
    // Terraform schema check. Each read by key fails when the key is absent, so a misspelt key cannot pass a negative check.

    public IReadOnlyList<MockResourceArgs> RawOfType<T>() where T : Resource => RawOfType(TypeToken<T>());

    public IReadOnlyList<MockResourceArgs> RawOfType(string typeToken) => Registered.Where(r => r.Type == typeToken).ToList();

    public MockResourceArgs RawSingle<T>() where T : Resource => Assert.Single(RawOfType<T>());

    public MockResourceArgs RawNamed<T>(string name) where T : Resource => Assert.Single(RawOfType<T>(), r => r.Name == name);

    /// <summary>The engine's type token of a resource class (its [ResourceType] attribute), e.g. aws:apigateway/stage:Stage.</summary>
    public static string TypeToken<T>() where T : Resource =>
        typeof(T).GetCustomAttribute<ResourceTypeAttribute>()?.Type ?? throw new InvalidOperationException($"{typeof(T)} has no resource type");

    /// <summary>One raw input; fails naming the key when the program did not declare it.</summary>
    public static object Input(MockResourceArgs resource, string input) =>
        resource.Inputs.TryGetValue(input, out object? value) ? value : throw new KeyNotFoundException($"{resource.Type} {resource.Name} has no input '{input}'");

    public static string Text(MockResourceArgs resource, string input) => Input(resource, input).ToString()!;

    /// <summary>One entry of a raw map (a nested input or a map input); fails naming the key when it is absent.</summary>
    public static object Entry(IReadOnlyDictionary<string, object> map, string key) =>
        map.TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException($"no '{key}' among {string.Join(", ", map.Keys)}");

    public async Task<T> OutputAsync<T>(string name) => await OutputUtilities.GetValueAsync((Output<T>)Outputs[name]!);

    public async Task<bool> IsSecretAsync<T>(string name) => await Output.IsSecretAsync((Output<T>)Outputs[name]!);

    /// <summary>The id the mocks gave a resource (its logical name plus "-id").</summary>
    public static string IdOf(Resource resource) => $"{resource.GetResourceName()}-id";

    /// <summary>The full path of an API Gateway Resource, rebuilt from its parent chain.</summary>
    public async Task<string> PathOfAsync(string resourceId)
    {
        if (resourceId.EndsWith("-root", StringComparison.Ordinal)) return "";
        ApiGateway.Resource resource = Assert.Single(OfType<ApiGateway.Resource>(), r => IdOf(r) == resourceId);
        return await PathOfAsync(await resource.ParentId.GetValueAsync()) + "/" + await resource.PathPart.GetValueAsync();
    }

    /// <summary>The route a method or integration serves: its HTTP method and the full path of its resource.</summary>
    public async Task<string> RouteOfAsync(Output<string> httpMethod, Output<string> resourceId) =>
        $"{await httpMethod.GetValueAsync()} {await PathOfAsync(await resourceId.GetValueAsync())}";
}

public static class OutputExtensions
{
    /// <summary>The value of an output, as pulumi/examples' testing-unit-cs reads it: <c>await method.ApiKeyRequired.GetValueAsync()</c>.</summary>
    public static Task<T> GetValueAsync<T>(this Output<T> output) => OutputUtilities.GetValueAsync(output);

    /// <summary>A list output as an array: xunit compares ImmutableArrays (IEquatable) by reference, arrays item by item.</summary>
    public static async Task<T[]> GetItemsAsync<T>(this Output<ImmutableArray<T>> output) => [.. await OutputUtilities.GetValueAsync(output)];

    /// <summary>The value of an optional output the program must have declared; fails, naming it, when there is none.</summary>
    public static async Task<T> GetDeclaredAsync<T>(this Output<T?> output, [CallerArgumentExpression(nameof(output))] string what = "") where T : class =>
        await OutputUtilities.GetValueAsync(output) ?? throw new Xunit.Sdk.XunitException($"{what} was not declared");
}
