using System.Collections.Immutable;
using System.Reflection;
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
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(namespaced));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS",
            JsonSerializer.Serialize((secretKeys ?? []).Select(k => $"{ConfigKeys.Project}:{k}")));
        try
        {
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
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
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

    /// <summary>What the program declared of one resource class, e.g. <c>run.OfType&lt;ApiGateway.Stage&gt;()</c>.</summary>
    public IReadOnlyList<MockResourceArgs> OfType<T>() where T : Resource => OfType(TypeToken<T>());

    public IReadOnlyList<MockResourceArgs> OfType(string typeToken) => Registered.Where(r => r.Type == typeToken).ToList();

    public MockResourceArgs Single<T>() where T : Resource => Assert.Single(OfType<T>());

    public MockResourceArgs Named<T>(string name) where T : Resource => Assert.Single(OfType<T>(), r => r.Name == name);

    /// <summary>The engine's type token of a resource class (its [ResourceType] attribute), e.g. aws:apigateway/stage:Stage.</summary>
    public static string TypeToken<T>() where T : Resource =>
        typeof(T).GetCustomAttribute<ResourceTypeAttribute>()?.Type ?? throw new InvalidOperationException($"{typeof(T)} has no resource type");

    public static string Text(MockResourceArgs resource, string input) =>
        resource.Inputs.TryGetValue(input, out object? value) ? value.ToString()! : throw new KeyNotFoundException($"{resource.Name} has no input '{input}'");

    public static object? Value(MockResourceArgs resource, string input) => resource.Inputs.GetValueOrDefault(input);

    public static ImmutableDictionary<string, object> Map(MockResourceArgs resource, string input) =>
        (ImmutableDictionary<string, object>)resource.Inputs[input];

    public static ImmutableArray<object> List(MockResourceArgs resource, string input) =>
        resource.Inputs.TryGetValue(input, out object? value) ? (ImmutableArray<object>)value : [];

    public static IEnumerable<string> Strings(MockResourceArgs resource, string input) => List(resource, input).Select(item => item.ToString()!);

    public async Task<T> OutputAsync<T>(string name) => await OutputUtilities.GetValueAsync((Output<T>)Outputs[name]!);

    public async Task<bool> IsSecretAsync<T>(string name) => await Output.IsSecretAsync((Output<T>)Outputs[name]!);

    /// <summary>The id the mocks gave a resource (its logical name plus "-id").</summary>
    public static string IdOf(MockResourceArgs resource) => $"{resource.Name}-id";

    /// <summary>The full path of an API Gateway Resource, rebuilt from its parent chain.</summary>
    public string PathOf(string resourceId)
    {
        if (resourceId.EndsWith("-root", StringComparison.Ordinal)) return "";
        MockResourceArgs resource = Assert.Single(OfType<ApiGateway.Resource>(), r => IdOf(r) == resourceId);
        return PathOf(Text(resource, "parentId")) + "/" + Text(resource, "pathPart");
    }
}
