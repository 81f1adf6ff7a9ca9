namespace ItemsApi.DeployTime.Settings;

/// <summary>How `pulumi up` builds the function code, and so which Lambda runtime runs it.</summary>
public enum FunctionBuild
{
    /// <summary>One native executable, <c>bootstrap</c>, on the OS-only runtime provided.al2023: no JIT, no .NET to start.</summary>
    NativeAot,

    /// <summary>Precompiled assemblies on the managed dotnet10 runtime: the only build SnapStart works with.</summary>
    ReadyToRun,
}
