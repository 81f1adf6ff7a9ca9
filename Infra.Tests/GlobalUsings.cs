// Resource classes by module, so tests read run.Single<ApiGateway.Stage>() rather than type-token strings.
global using Acm = Pulumi.Aws.Acm;
global using ApiGateway = Pulumi.Aws.ApiGateway;
global using AwsApiGateway = Pulumi.AwsApiGateway;
global using CloudWatch = Pulumi.Aws.CloudWatch;
global using DynamoDB = Pulumi.Aws.DynamoDB;
global using Iam = Pulumi.Aws.Iam;
global using Lambda = Pulumi.Aws.Lambda;
global using Route53 = Pulumi.Aws.Route53;
global using Sns = Pulumi.Aws.Sns;
global using WafV2 = Pulumi.Aws.WafV2;
