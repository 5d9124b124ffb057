using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SynchroMesh.IntegrationTests;

public sealed class When_a_branch_receives_an_invalid_sale
{
    [Fact]
    public async Task Should_answer_400_naming_the_field_and_store_nothing()
    {
        await using var system = await SyncSystem.StartAsync(["api"]);
        var branch = system.Branch("api");
        var valid = """{"date":"2026-11-25","product":"tea","region":"north","qty":1,"cost":2.5,"tax":0.2}""";

        var cases = new (string Body, string Field)[]
        {
            (valid.Replace("\"qty\":1", "\"qty\":-1"), "qty"),
            (valid.Replace("\"qty\":1", "\"qty\":\"many\""), "qty"),
            (valid.Replace("\"product\":\"tea\",", ""), "product"),
            (valid.Replace("tea", new string('x', 201)), "product"),
            (valid.Replace("2026-11-25", "1850-01-01"), "date"),
            (valid.Replace("2026-11-25", "not-a-date"), "date"),
            (valid.Replace("\"cost\":2.5", "\"cost\":-3"), "cost"),
            // Text PostgreSQL cannot hold, which JSON can carry.
            (valid.Replace("tea", @"te\u0000a"), "product"),
            (valid.Replace("north", @"\u0000"), "region"),
            (valid.Replace("tea", @"tea\ud800"), "product"),
            ("{\"date\":", "date"),
            ("not json", "body"),
        };

        foreach (var (body, field) in cases)
        {
            using var response = await branch.Process.Http.PostAsync("/products", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{body} -> {problem.RootElement}");
        }

        Assert.Equal(0L, await branch.ScalarAsync<long>("SELECT count(*) FROM branch.products"));

        using var ok = await branch.Process.Http.PostAsync("/products", new StringContent(valid, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var missing = await branch.Process.Http.PutAsJsonAsync("/products/999", SaleInput.Example());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
