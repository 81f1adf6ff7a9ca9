using ItemsApi.DeployTime.Packaging;
using ItemsApi.DeployTime.Project;
using ItemsApi.DeployTime.Settings;
using Pulumi;

namespace ItemsApi.Infra;

/// <summary>Builds the Lambda code archive from the Functions project, as the stage's functionBuild says.</summary>
public static class FunctionPackage
{
    /// <summary>
    /// The function step (<see cref="FunctionBuildStep"/>): the cached build of the same inputs, or a fresh publish of
    /// Functions/. A host that cannot build Native AOT, when a build must run, stops the program here, before any
    /// resource is declared, with what is missing and the ways out: never a silent fallback to another build, which would
    /// make what a stage runs depend on whose machine ran `pulumi up`.
    /// </summary>
    public static Archive Publish(StageSettings settings)
    {
        string root = ProjectFiles.FindRoot();
        return Publish(settings, BuildHost.Current, root, DotnetSdk.Find(root), FunctionBuildStep.RebuildRequested(Environment.GetEnvironmentVariable),
            message => Log.Info(message));
    }

    /// <param name="log">Where progress goes: Pulumi's log, which the CLI shows while the program runs.</param>
    internal static Archive Publish(StageSettings settings, BuildHost host, string root, DotnetSdk sdk, bool forceRebuild, Action<string> log)
    {
        try
        {
            // The zip itself, not a folder: Pulumi would zip a folder without the files' modes, and bootstrap must stay executable.
            return new FileArchive(FunctionBuildStep.Run(root, settings.FunctionBuild, settings.LambdaArchitecture, host, sdk, forceRebuild, log));
        }
        catch (InvalidOperationException failure)
        {
            throw new RunException(failure.Message, failure);
        }
    }
}
