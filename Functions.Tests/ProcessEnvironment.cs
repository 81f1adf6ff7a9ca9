namespace ItemsApi.Functions.Tests;

/// <summary>Tests that set environment variables (<see cref="EnvironmentVariables"/>) run one at a time, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "process environment";
}
