using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using ItemsApi.Core.Auth;
using ItemsApi.Core.Runtime;

namespace ItemsApi.Functions;

/// <summary>
/// A Lambda TOKEN authorizer (handler string <see cref="FunctionContract.AuthorizerHandler"/>).
/// Allows <c>Authorization: Bearer &lt;token&gt;</c> when SHA-256(token) is one of the hashes in
/// <c>AUTHORIZER_TOKEN_SHA256</c>; anything else is 401 Unauthorized.
/// </summary>
public sealed class AuthorizerFunction
{
    private readonly BearerTokenAuthorizer _authorizer =
        BearerTokenAuthorizer.FromList(Environment.GetEnvironmentVariable(FunctionContract.AuthorizerTokenHashesVariable));

    public APIGatewayCustomAuthorizerResponse Handle(APIGatewayCustomAuthorizerRequest request, ILambdaContext context)
    {
        string? principalId = _authorizer.Authorize(request.AuthorizationToken);
        string? stage = BearerTokenAuthorizer.StageWideResource(request.MethodArn);
        if (principalId is null || stage is null)
        {
            context.Logger.LogLine($"{{\"authorizer\":\"deny\",\"requestId\":\"{context.AwsRequestId}\"}}");
            // API Gateway answers 401 when an authorizer fails with exactly this message.
            throw new UnauthorizedException();
        }

        return new APIGatewayCustomAuthorizerResponse
        {
            PrincipalID = principalId,
            PolicyDocument = new APIGatewayCustomAuthorizerPolicy
            {
                Version = "2012-10-17",
                Statement =
                [
                    new APIGatewayCustomAuthorizerPolicy.IAMPolicyStatement
                    {
                        Effect = "Allow",
                        Action = ["execute-api:Invoke"],
                        Resource = [stage],
                    },
                ],
            },
        };
    }
}
