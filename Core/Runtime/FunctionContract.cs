namespace ItemsApi.Core.Runtime;

/// <summary>
/// What the stack and the functions agree on: handler strings and environment variable names.
/// The stack reads these constants; the Functions tests check that each handler string resolves.
/// </summary>
public static class FunctionContract
{
    /// <summary>The assembly the Functions project builds (the managed runtime loads it by this name).</summary>
    public const string Assembly = "ItemsApi.Functions";

    public const string ItemsHandler = Assembly + "::ItemsApi.Functions.ItemsFunction::HandleAsync";
    public const string AuthorizerHandler = Assembly + "::ItemsApi.Functions.AuthorizerFunction::Handle";

    /// <summary>The DynamoDB table the items function uses.</summary>
    public const string TableNameVariable = "ITEMS_TABLE_NAME";

    /// <summary>Optional: a DynamoDB-compatible endpoint (DynamoDB Local, dynalite). Unset on AWS.</summary>
    public const string DynamoDbEndpointVariable = "DYNAMODB_ENDPOINT";

    /// <summary>Comma-separated browser origins allowed to call the API; empty disables CORS.</summary>
    public const string CorsAllowedOriginsVariable = "CORS_ALLOWED_ORIGINS";

    /// <summary>The request headers a preflight allows (<see cref="Http.CorsPolicy.AllowedHeaders"/>); unset: the base set.</summary>
    public const string CorsAllowedHeadersVariable = "CORS_ALLOWED_HEADERS";

    /// <summary>"false" skips priming the request path during init (<see cref="Http.ItemsApiHandler.PrimeAsync"/>); for measuring it.</summary>
    public const string PrimeOnInitVariable = "ITEMS_API_PRIME_ON_INIT";

    /// <summary>Comma-separated SHA-256 hex hashes of the bearer tokens the authorizer accepts.</summary>
    public const string AuthorizerTokenHashesVariable = "AUTHORIZER_TOKEN_SHA256";
}
