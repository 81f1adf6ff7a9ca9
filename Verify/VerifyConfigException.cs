namespace ItemsApi.Verify;

/// <summary>A usage or configuration problem (no URL, pulumi missing, iam mode ...): the CLI prints it and exits 2.</summary>
public sealed class VerifyConfigException(string message) : Exception(message);
