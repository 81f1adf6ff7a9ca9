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
}
