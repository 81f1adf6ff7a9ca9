using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using ItemsApi.DeployTime.Project;

namespace ItemsApi.Infra;

/// <summary>Builds the Lambda code archive from the Functions project, as the stage's functionBuild says.</summary>
public static class FunctionPackage
{
    /// <summary>
    /// Publishes Functions/ into Infra/bin/function-package (<see cref="FunctionPublisher"/>) and returns its zip as the archive.
    /// A host that cannot build Native AOT stops the program here, before any resource is declared, with what is
    /// missing and the ways out: never a silent fallback to another build, which would make what a stage runs depend on
    /// whose machine ran `pulumi up`.
    /// </summary>
    public static Archive Publish(StageSettings settings) =>
        Publish(settings, BuildHost.Current, ProjectFiles.FindRoot(), message => Log.Info(message));

    /// <param name="log">Where progress goes: Pulumi's log, which the CLI shows while the program runs.</param>
    internal static Archive Publish(StageSettings settings, BuildHost host, string root, Action<string> log)
    {
        string build = ConfigKeys.FunctionBuild.WordFor(settings.FunctionBuild);
        string runtimeIdentifier = FunctionPublisher.RuntimeIdentifier(settings.LambdaArchitecture);
        if (settings.FunctionBuild == FunctionBuild.NativeAot && NativeAotToolchain.Problem(host, settings.LambdaArchitecture) is { } problem)
            throw new RunException(problem);

        // A Native AOT compile takes a minute or more: say so, or `pulumi up` looks hung.
        log($"publishing the items and authorizer functions ({build}, {runtimeIdentifier})...");
        PublishedFunction published;
        try
        {
            published = FunctionPublisher.Publish(root, Path.Combine(root, "Infra", "bin", "function-package"), settings.FunctionBuild, settings.LambdaArchitecture);
        }
        catch (InvalidOperationException failure)
        {
            throw new RunException(failure.Message, failure);
        }
        log($"published the functions ({build}, {runtimeIdentifier}) in {published.Duration.TotalSeconds:F0} s: {new FileInfo(published.Zip).Length / 1024.0 / 1024.0:F1} MB zipped");
        // The zip itself, not the folder: Pulumi would zip a folder without the files' modes, and bootstrap must stay executable.
        return new FileArchive(published.Zip);
    }
}
