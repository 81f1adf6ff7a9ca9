using ItemsApi.Infra;
using Pulumi;

// `pulumi up` / `pulumi preview` run this. Config is validated first; then the function code is published
// from Functions/, so there is no separate build step before a deployment.
return await Deployment.RunAsync(() => ItemsApiStack.RunAsync(FunctionPackage.Publish));
