using System.Net;

namespace SynchroMesh.IntegrationTests;

public sealed class When_the_head_office_starts_on_a_fresh_database
{
    [Fact]
    public async Task Should_log_no_error_about_its_key_ring_and_sign_people_in_all_the_same()
    {
        await using var system = await SyncSystem.StartAsync([]);

        // The cookie's keys live in the database the head office migrates after its start: the first sign-in makes them.
        using var console = await ConsoleClient.SignInAsync(system.HeadOffice.Process.Http.BaseAddress!, LabCredentials.OperatorName, LabCredentials.OperatorPassword);
        using (var page = await console.Http.GetAsync("/console"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // Nothing read the key ring before the database was there: no failed key-ring read, no failed query behind it.
        var errors = (await File.ReadAllLinesAsync(system.HeadOffice.Process.LogFile))
            .Where(line => line.Contains("fail: Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)
                           || line.Contains("fail: Microsoft.EntityFrameworkCore.Query", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, $"the head office logged errors reading its key ring:\n{string.Join('\n', errors)}");
    }
}
