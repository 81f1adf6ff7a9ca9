using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ItemsApi.Verify.Tests;

/// <summary>
/// Issue 27, "verify at scale, and without customer data in logs": the paging check used to look for its own three items
/// in at most about 1,900 listed ones, so on a big table it failed after a good `pulumi up`, and printed up to 2,000
/// characters of other people's items. Now it checks what holds for any table, and a report shows only ids and statuses
/// of items verify did not create.
/// </summary>
public sealed class PagingAtScaleTests
{
    private const string Marker = "customer-secret-7f3a9c";
    private const int Preloaded = 2_500;

    private static async Task PreloadAsync(LocalStage stage)
    {
        for (int i = 0; i < Preloaded; i++)
            await stage.Store.CreateAsync($$"""{"owner":"someone else","note":"{{Marker}} {{i}}"}""");
    }

    /// <summary>The report as verify prints it and writes it as JSON.</summary>
    private static string Printed(ContractReport report)
    {
        var text = new StringWriter();
        foreach (CheckResult check in report.Checks) ReportWriter.WriteCheck(text, check);
        ReportWriter.WriteSummary(text, report);
        ReportWriter.WriteJson(text, report);
        return text.ToString();
    }

    [Fact]
    public async Task A_table_of_2500_other_items_passes_and_none_of_their_data_is_printed()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        await PreloadAsync(stage);
        using var http = new HttpClient();
        var progress = new StringWriter();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options() with { OnCheck = check => ReportWriter.WriteCheck(progress, check) });

        Assert.True(report.Passed, StageContractTests.Describe(report));
        string paging = report.Find(CheckNames.ListPaging)!.Detail;
        Assert.Equal("3 items read back by id; 1902 items listed once each over 20 pages (limit=2, then 100); stopped after 20 pages, more remain", paging);
        Assert.DoesNotContain(Marker, Printed(report));
        Assert.DoesNotContain(Marker, progress.ToString());
        Assert.Equal((Preloaded, 0), await CountAsync(stage)); // theirs untouched, verify's deleted
    }

    [Fact]
    public async Task A_small_table_is_listed_to_its_end_and_verifys_items_must_be_on_it()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        for (int i = 0; i < 5; i++) await stage.Store.CreateAsync($$"""{"note":"{{Marker}}"}""");
        using var http = new HttpClient();

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.True(report.Passed, StageContractTests.Describe(report));
        Assert.Equal("3 items read back by id and listed; 8 items listed once each over 2 pages (limit=2, then 100)", report.Find(CheckNames.ListPaging)!.Detail);
    }

    [Fact]
    public async Task A_page_that_repeats_an_item_fails_with_ids_only_and_no_other_data()
    {
        await using LocalStage stage = await LocalStage.StartDevAsync();
        await PreloadAsync(stage);
        // A broken stage: every page after the first starts with the first page's first item again.
        string? firstItem = null;
        using var http = new HttpClient(new InterceptingHandler(async (request, forward) =>
        {
            HttpResponseMessage response = await forward();
            if (request.Method != HttpMethod.Get || request.RequestUri!.AbsolutePath != new Uri(stage.ItemsUrl).AbsolutePath || response.StatusCode != HttpStatusCode.OK)
                return response;
            JsonObject page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            JsonArray items = page["items"]!.AsArray();
            if (request.RequestUri.Query.Contains("nextToken") && firstItem is not null) items[0] = JsonNode.Parse(firstItem);
            else if (items.Count > 0) firstItem ??= items[0]!.ToJsonString();
            response.Content = new StringContent(page.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }));

        ContractReport report = await StageContract.RunAsync(stage.Target(), http, stage.Options());

        Assert.False(report.Passed);
        string detail = report.Find(CheckNames.ListPaging)!.Detail;
        string repeated = JsonNode.Parse(firstItem!)!["id"]!.GetValue<string>();
        Assert.StartsWith($"item {repeated} is on page 2 and again on page 1\n", detail);
        Assert.Contains("(a page of 100 items and a nextToken; item bodies are not shown, ids: " + repeated + ", ", detail);
        Assert.DoesNotContain(Marker, Printed(report));
        Assert.Equal((Preloaded, 0), await CountAsync(stage)); // the cleanup still deleted verify's items
    }

    /// <summary>The stored items: other people's, and verify's (their documents carry its run id).</summary>
    private static async Task<(int Others, int Verifys)> CountAsync(LocalStage stage)
    {
        int others = 0, verifys = 0;
        string? after = null;
        do
        {
            var page = await stage.Store.ListAsync(100, after);
            verifys += page.Items.Count(i => i.DocumentJson.Contains("verifyRun"));
            others += page.Items.Count(i => !i.DocumentJson.Contains("verifyRun"));
            after = page.LastId;
        } while (after is not null);
        return (others, verifys);
    }
}
