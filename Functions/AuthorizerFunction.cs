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
    /// <summary>Why a caller was refused when its token was fine but API Gateway sent no method ARN we can scope to.</summary>
    internal const string UnexpectedMethodArn = "unexpected method ARN";

    private readonly BearerTokenAuthorizer _authorizer =
        BearerTokenAuthorizer.FromList(Environment.GetEnvironmentVariable(FunctionContract.AuthorizerTokenHashesVariable));

    public APIGatewayCustomAuthorizerResponse Handle(APIGatewayCustomAuthorizerRequest request, ILambdaContext context)
    {
        TokenCheck check = _authorizer.Check(request.AuthorizationToken);
        string? stage = BearerTokenAuthorizer.StageWideResource(request.MethodArn);
        if (!check.IsAllowed || stage is null)
        {
            // API Gateway answers 401 only when the authorizer fails with "Unauthorized". The runtime logs that failure
            // as one line with Lambda's requestId; a line of our own would double what each refused token costs.
            throw new UnauthorizedException(check.DenialReason ?? UnexpectedMethodArn);
        }

        return new APIGatewayCustomAuthorizerResponse
        {
            PrincipalID = check.PrincipalId,
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
