using ItemsApi.DeployTime.Settings;
using ItemsApi.Infra.Components;

namespace ItemsApi.Infra.Tests;

/// <summary>
/// Options the engine acts on but Pulumi's mocks never see (protect, delete-before-replace). Each component
/// builds them in a method of its own, which these tests call.
/// </summary>
public class ResourceOptionsTests
{
    [Fact]
    public void A_domain_name_and_its_mapping_are_replaced_delete_first_because_a_name_exists_only_once() =>
        Assert.True(CustomDomain.SingleInstanceOptions(null).DeleteBeforeReplace);

    [Fact]
    public void The_waf_association_is_replaced_delete_first_because_disassociating_takes_only_the_stage() =>
        Assert.True(RateCeiling.AssociationOptions(null).DeleteBeforeReplace);

    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void Protect_data_makes_pulumi_refuse_to_delete_the_table(string protectData, bool expected) =>
        Assert.Equal(expected, ItemsTable.TableOptions(null, StageSettings.Load(k => k == "protectData" ? protectData : null, "dev")).Protect);

    /// <summary>
    /// Issue 26, fault 12. Neither DynamoDB nor Pulumi protects anything unasked: a table's DeletionProtectionEnabled
    /// and PointInTimeRecoverySpecification are off unless set, and a resource is protected only with protect. So a
    /// stack that sets nothing (a new prod-eu, say) must get all three from the program's defaults.
    /// </summary>
    [Fact]
    public void A_new_stack_that_sets_nothing_gets_deletion_protection_pulumi_protect_and_point_in_time_recovery()
    {
        StageSettings settings = StageSettings.Load(_ => null, "prod-eu");
        Assert.True(settings.ProtectData);
        Assert.True(settings.PointInTimeRecovery);
        Assert.True(ItemsTable.TableOptions(null, settings).Protect);
    }
}
