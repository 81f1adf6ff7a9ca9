using System.Diagnostics;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ItemsApi.Core.Items;

namespace ItemsApi.Core.Tests;

/// <summary>Waiting for a new table: CreateTable returns while the table is still CREATING (DynamoDB API Reference, CreateTable).</summary>
public sealed class ItemsTableSchemaTests
{
    [Fact]
    public async Task A_table_that_never_becomes_active_is_an_error_naming_it_after_the_last_attempt()
    {
        IAmazonDynamoDB client = TableStatuses.Client(TableStatus.CREATING, TableStatus.CREATING, TableStatus.CREATING, TableStatus.ACTIVE);
        long started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ItemsTableSchema.EnsureExistsAsync(client, "items-local", attempts: 3, interval: TimeSpan.FromMilliseconds(40), CancellationToken.None));

        Assert.Equal("Table 'items-local' did not become ACTIVE within 0.12 s.", error.Message);
        Assert.Equal(3, ((TableStatuses)client).Describes);
        // It waits between attempts rather than asking as fast as it can (a delay never ends early).
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(120));
    }

    [Fact]
    public async Task The_wait_ends_as_soon_as_the_table_is_active()
    {
        IAmazonDynamoDB client = TableStatuses.Client(TableStatus.CREATING, TableStatus.ACTIVE);
        await ItemsTableSchema.EnsureExistsAsync(client, "items-local", attempts: 5, interval: TimeSpan.FromMilliseconds(1), CancellationToken.None);
        Assert.Equal(2, ((TableStatuses)client).Describes);
    }

    /// <summary>A DynamoDB client that creates the table and then reports the given statuses, one per DescribeTable.</summary>
    public class TableStatuses : DispatchProxy
    {
        private Queue<TableStatus> _statuses = new();
        public int Describes { get; private set; }

        public static IAmazonDynamoDB Client(params TableStatus[] statuses)
        {
            IAmazonDynamoDB client = Create<IAmazonDynamoDB, TableStatuses>();
            ((TableStatuses)client)._statuses = new Queue<TableStatus>(statuses);
            return client;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method?.Name switch
        {
            nameof(IAmazonDynamoDB.CreateTableAsync) => Task.FromResult(new CreateTableResponse()),
            nameof(IAmazonDynamoDB.DescribeTableAsync) => Task.FromResult(new DescribeTableResponse
            {
                Table = new TableDescription { TableName = (string)args![0]!, TableStatus = Next() },
            }),
            _ => throw new NotSupportedException(method?.Name),
        };

        private TableStatus Next()
        {
            Describes++;
            return _statuses.Dequeue();
        }
    }
}
