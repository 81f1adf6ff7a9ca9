using ItemsApi.DeployTime.VersionRetention;
using ItemsApi.Infra;
using Pulumi;

// `pulumi up` / `pulumi preview` run this. Config is validated first; then the function code is published
// from Functions/, so there is no separate build step before a deployment.
// After an update moves the items function's alias, old published versions are deleted with the same profile the AWS
// provider uses (aws:profile), in its region.
return await Deployment.RunAsync(() => ItemsApiStack.RunAsync(FunctionPackage.Publish,
    region => LambdaFunctionVersions.For(region, new Config("aws").Get("profile"))));
