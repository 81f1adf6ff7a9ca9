namespace ItemsApi.Core.Runtime;

/// <summary>
/// What the stack and the functions agree on: runtimes, handler strings and environment variable names.
/// The stack reads these constants (which for which build: DeployTime's <c>FunctionHandlers</c>); the Functions tests
/// check that each handler string runs its function.
/// </summary>
public static class FunctionContract
{
    /// <summary>The assembly the Functions project builds (the managed runtime loads it by this name).</summary>
    public const string Assembly = "ItemsApi.Functions";

    /// <summary>Managed dotnet10 runtime: the runtime loads the assembly and calls this method (ReadyToRun build).</summary>
    public const string ItemsHandler = Assembly + "::ItemsApi.Functions.ItemsFunction::HandleAsync";
    public const string AuthorizerHandler = Assembly + "::ItemsApi.Functions.AuthorizerFunction::Handle";

    /// <summary>
    /// provided.al2023: Lambda starts the executable <see cref="NativeExecutable"/> and passes the handler string in
    /// <c>_HANDLER</c>; its Main runs the function this names (Native AOT build). One binary serves both functions.
    /// </summary>
    public const string ItemsEntryPoint = "items";
    public const string AuthorizerEntryPoint = "authorizer";

    /// <summary>What an OS-only runtime starts: an executable of this name at the root of the package.</summary>
    public const string NativeExecutable = "bootstrap";

    /// <summary>Lambda's managed .NET runtime (dotnet8 is past end of support).</summary>
    public const string ManagedRuntime = "dotnet10";

    /// <summary>Lambda's OS-only runtime on Amazon Linux 2023, for a native executable.</summary>
    public const string OsOnlyRuntime = "provided.al2023";

    /// <summary>The DynamoDB table the items function uses.</summary>
    public const string TableNameVariable = "ITEMS_TABLE_NAME";

    /// <summary>Optional: a DynamoDB-compatible endpoint (DynamoDB Local, dynalite). Unset on AWS.</summary>
    public const string DynamoDbEndpointVariable = "DYNAMODB_ENDPOINT";

    /// <summary>Comma-separated browser origins allowed to call the API; empty disables CORS.</summary>
    public const string CorsAllowedOriginsVariable = "CORS_ALLOWED_ORIGINS";

    /// <summary>The request headers a preflight allows (<see cref="Http.CorsPolicy.AllowedHeaders"/>); unset: the base set.</summary>
    public const string CorsAllowedHeadersVariable = "CORS_ALLOWED_HEADERS";

    /// <summary>Hours a create's Idempotency-Key is remembered (the stage setting idempotencyWindowHours); unset: the default.</summary>
    public const string IdempotencyWindowHoursVariable = "IDEMPOTENCY_WINDOW_HOURS";

    /// <summary>
    /// The window's default: a day covers a client's retries after any outage it would sit out, and is what well-known
    /// APIs that take the header keep. The stage setting's default is this value.
    /// </summary>
    public const int DefaultIdempotencyWindowHours = 24;

    /// <summary>"false" skips priming during init (<see cref="Http.ItemsApiHandler.PrimeAsync"/>); for measuring it.</summary>
    public const string PrimeOnInitVariable = "ITEMS_API_PRIME_ON_INIT";

    /// <summary>Comma-separated SHA-256 hex hashes of the bearer tokens the authorizer accepts.</summary>
    public const string AuthorizerTokenHashesVariable = "AUTHORIZER_TOKEN_SHA256";
}
