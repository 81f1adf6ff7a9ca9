using ItemsApi.DeployTime.Aws;
using ItemsApi.Infra;
using Pulumi;

// `pulumi up` / `pulumi preview` run this. Config is validated first; then the function code is published
// from Functions/, so there is no separate build step before a deployment.
// The program's own AWS calls (the account reads at preview, deleting old published versions after an update) act as
// the AWS provider's identity: its aws:* config (profile, keys, assumeRoles, endpoints) in its region.
return await Deployment.RunAsync(() => ItemsApiStack.RunAsync(FunctionPackage.Publish,
    region => AwsApis.ForProvider(ProviderConfig.Read(new Config("aws").Get), region)));
