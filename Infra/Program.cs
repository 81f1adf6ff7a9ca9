using ItemsApi.Infra;
using Pulumi;

// `pulumi up` / `pulumi preview` run this. The function code is published from Functions/ first,
// so there is no separate build step before a deployment.
return await Deployment.RunAsync(() => ItemsApiStack.Define(FunctionPackage.Publish()));
