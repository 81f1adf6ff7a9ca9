namespace ItemsApi.TestKit;

/// <summary>
/// Sets environment variables (AWS_REGION, the shared credentials file, ...) for a test and puts every one back.
/// The whole test process shares them: a test that uses this belongs to a collection that runs alone
/// (<c>[CollectionDefinition(..., DisableParallelization = true)]</c>, which xunit needs in the test assembly itself).
/// </summary>
public static class EnvironmentVariables
{
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
