namespace ItemsApi.TestKit;

/// <summary>
/// Something a test needs from this machine beyond .NET: a tool, a browser, a toolchain. It looks at what is there; a
/// tool the test is told to use (an environment variable naming a file) that is not there is the test's failure, not a skip.
/// </summary>
public interface IRequirement
{
    /// <summary>Why the test cannot run here, with how to get what is missing; null when it can.</summary>
    string? Missing { get; }
}

/// <summary>A test that runs where its requirement is met; elsewhere it is reported skipped with the reason, never passed.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    /// <param name="requirement">An <see cref="IRequirement"/> with a constructor without parameters.</param>
    public RequiresFactAttribute(Type requirement) => Skip = Requirement.MissingOf(requirement);
}

/// <inheritdoc cref="RequiresFactAttribute"/>
public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    /// <param name="requirement">An <see cref="IRequirement"/> with a constructor without parameters.</param>
    public RequiresTheoryAttribute(Type requirement) => Skip = Requirement.MissingOf(requirement);
}

internal static class Requirement
{
    public static string? MissingOf(Type requirement) =>
        Activator.CreateInstance(requirement) is IRequirement needed
            ? needed.Missing
            : throw new ArgumentException($"{requirement} is not an {nameof(IRequirement)}", nameof(requirement));
}
