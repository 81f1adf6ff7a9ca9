using System.Globalization;
using ItemsApi.DeployTime.Settings;

namespace ItemsApi.Verify;

/// <summary>
/// The items API's HTTP contract, run against a live stage or the local run alike: CRUD with ETags, paging
/// (<see cref="ItemChecks"/>), the gateway's key, authorizer, validation and CORS answers on every route
/// (<see cref="GatewayChecks"/>). This is the flow: which checks run, in which order, which are skipped and why, and
/// the cleanup. Everything it creates is deleted again, whatever happens, and the report never contains the API key or
/// the bearer token.
/// </summary>
public sealed class StageContract
{
    private readonly StageTarget _target;
    private readonly ContractOptions _options;
    private readonly StageRequests _requests;
    private readonly ItemChecks _items;
    private readonly GatewayChecks _gateway;
    private readonly Redactor _redactor;
    private readonly List<CheckResult> _checks = [];

    private StageContract(StageTarget target, HttpClient http, ContractOptions options)
    {
        if (target.AuthMode == AuthMode.Iam)
            throw new VerifyConfigException("authMode iam: the stage requires SigV4-signed requests, which verify does not sign. " +
                "Verify a stage in apiKey or apiKey+authorizer mode, or call it with a SigV4-capable client.");
        if (target.AuthMode == AuthMode.ApiKeyAndAuthorizer && string.IsNullOrEmpty(target.BearerToken))
            throw new VerifyConfigException("authMode apiKey+authorizer: pass --token <bearer token> (one whose SHA-256 is in authorizerTokenHashes).");
        if (!target.ItemsUrl.IsAbsoluteUri || target.ItemsUrl.Scheme is not ("http" or "https"))
            throw new VerifyConfigException($"The URL must be an absolute http(s) URL, not '{target.ItemsUrl}'.");

        _target = target;
        _options = options;
        string itemsUrl = target.ItemsUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        string runId = $"verify-{options.Clock.GetUtcNow():yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        _requests = new StageRequests(target, new StageClient(http, options), itemsUrl, runId);
        _items = new ItemChecks(options, _requests);
        _gateway = new GatewayChecks(target, options, _requests);
        _redactor = new Redactor([target.ApiKey, target.BearerToken]);
    }

    /// <summary>Runs every check once, in order, then deletes what it created.</summary>
    /// <exception cref="VerifyConfigException">The target cannot be verified (iam mode, a missing token, a bad URL).</exception>
    public static Task<ContractReport> RunAsync(StageTarget target, HttpClient http, ContractOptions? options = null, CancellationToken cancellationToken = default) =>
        new StageContract(target, http, options ?? new ContractOptions()).RunAsync(cancellationToken);

    private async Task<ContractReport> RunAsync(CancellationToken cancellationToken)
    {
        long started = _options.Clock.GetTimestamp();
        try
        {
            await RunChecksAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(new CheckResult(CheckNames.Interrupted, CheckStatus.Fail, "cancelled before every check ran"));
        }
        finally
        {
            // Not cancellable: what was created is deleted even after Ctrl-C or a failed check.
            await CleanupAsync();
        }
        string authMode = ConfigKeys.AuthMode.WordFor(_target.AuthMode);
        return new ContractReport(_redactor.Redact(_requests.ItemsUrl), authMode, _checks, _requests.RequestsSent, _options.Clock.GetElapsedTime(started));
    }

    private async Task RunChecksAsync(CancellationToken ct)
    {
        if (!await CheckAsync(CheckNames.KeyAccepted, _gateway.WaitForKeyAsync, ct))
        {
            foreach (string name in PlannedChecks().Skip(1)) Skip(name, "not run: the API key was not accepted");
            return;
        }

        bool created = await CheckAsync(CheckNames.Create, _items.CreateAsync, ct);
        await CheckIfAsync(created, CheckNames.Get, _items.GetAsync, ct);
        await CheckIfAsync(created, CheckNames.ListPaging, _items.ListWithPagingAsync, ct);
        bool replaced = await CheckIfAsync(created, CheckNames.Replace, _items.ReplaceAsync, ct);
        await CheckIfAsync(replaced, CheckNames.StaleIfMatch, _items.StaleIfMatchAsync, ct, because: "needs a replaced item");
        await CheckIfAsync(created, CheckNames.MissingIfMatch, _items.MissingIfMatchAsync, ct);
        await CheckAsync(CheckNames.InvalidJson, _gateway.InvalidJsonAsync, ct);
        await CheckAsync(CheckNames.NotAnObject, _gateway.NotAnObjectAsync, ct);
        await CheckAsync(CheckNames.NotJsonContentType, _items.NotJsonContentTypeAsync, ct);
        await CheckAsync(CheckNames.RetriedCreate, _items.RetriedCreateAsync, ct);
        await CheckAsync(CheckNames.NoApiKey, _gateway.NoApiKeyAsync, ct);
        await CheckAsync(CheckNames.WrongApiKey, _gateway.WrongApiKeyAsync, ct);
        if (UsesAuthorizer) await CheckAsync(CheckNames.NoBearerToken, _gateway.NoBearerTokenAsync, ct);
        if (_gateway.PreflightOrigin() is null) Skip(CheckNames.CorsPreflight, _gateway.NoCorsReason());
        else await CheckAsync(CheckNames.CorsPreflight, _gateway.CorsPreflightAsync, ct);
        await CheckIfAsync(created, CheckNames.Delete, _items.DeleteAsync, ct);
    }

    private bool UsesAuthorizer => _target.AuthMode == AuthMode.ApiKeyAndAuthorizer;

    private IEnumerable<string> PlannedChecks()
    {
        string[] names =
        [
            CheckNames.KeyAccepted, CheckNames.Create, CheckNames.Get, CheckNames.ListPaging, CheckNames.Replace, CheckNames.StaleIfMatch,
            CheckNames.MissingIfMatch, CheckNames.InvalidJson, CheckNames.NotAnObject, CheckNames.NotJsonContentType, CheckNames.RetriedCreate,
            CheckNames.NoApiKey, CheckNames.WrongApiKey,
        ];
        return names.Concat(UsesAuthorizer ? [CheckNames.NoBearerToken] : []).Concat([CheckNames.CorsPreflight, CheckNames.Delete]);
    }

    /// <summary>Deletes every item still listed as created; 404 means it is gone already.</summary>
    private async Task CleanupAsync()
    {
        var failures = new List<string>();
        int deleted = 0;
        foreach (string id in _requests.Created.ToArray())
        {
            Exchange exchange = await _requests.SendAsync("DELETE", _requests.ItemUri(id).ToString(), _requests.Headers(), ct: CancellationToken.None);
            if (exchange.Status is 204 or 404)
            {
                _requests.Forget(id);
                deleted++;
            }
            else failures.Add(new CheckFailure($"item {id} was not deleted", exchange).Detail);
        }
        Record(failures.Count == 0
            ? new CheckResult(CheckNames.Cleanup, CheckStatus.Pass, deleted == 0 ? "nothing left to delete" : $"deleted {deleted} items")
            : new CheckResult(CheckNames.Cleanup, CheckStatus.Fail, _redactor.Redact(
                $"{failures.Count} items could not be deleted; delete them by hand\n" + string.Join("\n", failures))));
    }

    private async Task<bool> CheckAsync(string name, Func<CancellationToken, Task<string>> check, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            string note = await check(ct);
            Record(new CheckResult(name, CheckStatus.Pass, _redactor.Redact(note)));
            return true;
        }
        catch (CheckFailure failure)
        {
            Record(new CheckResult(name, CheckStatus.Fail, _redactor.Redact(failure.Detail)));
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An answer of a shape no check foresaw is still a failed check, not a crash that skips the rest.
            Record(new CheckResult(name, CheckStatus.Fail, _redactor.Redact($"unexpected {exception.GetType().Name}: {exception.Message}")));
            return false;
        }
    }

    private async Task<bool> CheckIfAsync(bool ready, string name, Func<CancellationToken, Task<string>> check, CancellationToken ct,
        string because = "needs a created item")
    {
        if (ready) return await CheckAsync(name, check, ct);
        Skip(name, $"not run: {because}");
        return false;
    }

    private void Skip(string name, string reason) => Record(new CheckResult(name, CheckStatus.Skip, reason));

    private void Record(CheckResult result)
    {
        _checks.Add(result);
        _options.OnCheck?.Invoke(result);
    }

    internal static string Seconds(TimeSpan time) => $"{time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
