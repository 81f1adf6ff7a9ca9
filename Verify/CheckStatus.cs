namespace ItemsApi.Verify;

/// <summary>How one check ended. Skipped checks did not apply (e.g. no CORS origins) or could not run.</summary>
public enum CheckStatus { Pass, Fail, Skip }
