using ItemsApi.Core.Runtime;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.DeployTime.Packaging;

/// <summary>Which Lambda runtime and handler strings (<see cref="FunctionContract"/>) each function build runs with.</summary>
public static class FunctionHandlers
{
    /// <summary>The Lambda runtime a build runs on.</summary>
    public static string RuntimeFor(FunctionBuild build) => build == FunctionBuild.NativeAot ? FunctionContract.OsOnlyRuntime : FunctionContract.ManagedRuntime;

    /// <summary>The items function's handler string for a build.</summary>
    public static string ItemsHandlerFor(FunctionBuild build) => build == FunctionBuild.NativeAot ? FunctionContract.ItemsEntryPoint : FunctionContract.ItemsHandler;

    /// <summary>The authorizer's handler string for a build.</summary>
    public static string AuthorizerHandlerFor(FunctionBuild build) => build == FunctionBuild.NativeAot ? FunctionContract.AuthorizerEntryPoint : FunctionContract.AuthorizerHandler;
}
