namespace ItemsApi.Functions;

/// <summary>The error API Gateway turns into 401 Unauthorized.</summary>
public sealed class UnauthorizedException() : Exception("Unauthorized");
