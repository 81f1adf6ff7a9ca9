namespace ItemsApi.Core.Tests;

/// <summary>
/// Tests that set environment variables (AWS_REGION, the shared credentials file, ...), which the whole test process
/// shares: they run one at a time, after the parallel collections, and put every variable back.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "process environment";

    /// <summary>Sets the variables (null unsets one) until the result is disposed.</summary>
    public static IDisposable Set(params (string Name, string? Value)[] variables)
    {
        var previous = variables.Select(v => (v.Name, Value: Environment.GetEnvironmentVariable(v.Name))).ToList();
        foreach ((string name, string? value) in variables) Environment.SetEnvironmentVariable(name, value);
        return new Restore(previous);
    }

    private sealed class Restore(List<(string Name, string? Value)> previous) : IDisposable
    {
        public void Dispose()
        {
            foreach ((string name, string? value) in previous) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
