namespace ItemsApi.TestKit.Faults;

/// <summary>
/// When the proxy applies <paramref name="Fault"/>: to calls of <paramref name="Operation"/> (<c>PutItem</c>,
/// <c>TransactWriteItems</c>, ...; null for every operation), at most <paramref name="Times"/> times, each matching call
/// with the chance <paramref name="Probability"/> (drawn from the proxy's seeded random source, so a run repeats).
/// </summary>
public sealed record FaultRule(DynamoDbFault Fault, string? Operation = null, int Times = int.MaxValue, double Probability = 1.0)
{
    public bool Matches(string operation) => Operation is null || string.Equals(Operation, operation, StringComparison.Ordinal);
}
