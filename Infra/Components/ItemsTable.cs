using ItemsApi.Core.Items;
using ItemsApi.DeployTime.Settings;
using Pulumi;
using Pulumi.Aws.DynamoDB;
using Pulumi.Aws.DynamoDB.Inputs;

namespace ItemsApi.Infra.Components;

/// <summary>The DynamoDB table, with the key schema the function's store uses (<see cref="ItemsTableSchema"/>).</summary>
public sealed class ItemsTable : ComponentResource
{
    public ItemsTable(string name, StageSettings settings, ComponentResourceOptions? options = null)
        : base("items-api:data:ItemsTable", name, options)
    {
        Table = new Table(name, new TableArgs
        {
            Name = $"{settings.NamePrefix}-items",
            Attributes = { new TableAttributeArgs { Name = ItemsTableSchema.PartitionKey, Type = ItemsTableSchema.PartitionKeyType } },
            HashKey = ItemsTableSchema.PartitionKey,
            BillingMode = settings.ProvisionedBilling ? "PROVISIONED" : "PAY_PER_REQUEST",
            ReadCapacity = settings.TableReadCapacity,
            WriteCapacity = settings.TableWriteCapacity,
            PointInTimeRecovery = new TablePointInTimeRecoveryArgs { Enabled = settings.PointInTimeRecovery },
            // DynamoDB deletes idempotency key records once their window has passed (within days; the store checks the expiry itself).
            Ttl = new TableTtlArgs { AttributeName = ItemsTableSchema.ExpiresAtAttribute, Enabled = true },
            DeletionProtectionEnabled = settings.ProtectData,
            Tags = StageTags.For(settings),
        }, TableOptions(this, settings));

        RegisterOutputs(new Dictionary<string, object?> { ["tableName"] = Table.Name });
    }

    public Table Table { get; }

    /// <summary>
    /// With protectData, Pulumi refuses to delete the table too (on top of DynamoDB's deletion protection). A new name
    /// replaces a table, data and all, so the name is ignored after creation: a stack whose table was created with a
    /// generated name (items-&lt;suffix&gt;, before names were scoped by stage) keeps it and its data.
    /// </summary>
    internal static CustomResourceOptions TableOptions(Pulumi.Resource? parent, StageSettings settings) =>
        new() { Parent = parent, Protect = settings.ProtectData, IgnoreChanges = { "name" } };
}
