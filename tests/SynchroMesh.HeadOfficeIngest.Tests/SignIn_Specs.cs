using SynchroMesh.HeadOfficeIngest.Console;

namespace SynchroMesh.HeadOfficeIngest.Tests;

public sealed class When_a_sign_in_link_names_where_to_go_afterwards
{
    [Theory]
    [InlineData("/console/branches/north", "/console/branches/north")]
    [InlineData("/reports/sales?groupBy=day", "/reports/sales?groupBy=day")]
    [InlineData(null, "/console")]
    [InlineData("", "/console")]
    [InlineData("/", "/console")]
    [InlineData("//evil.example/", "/console")]
    [InlineData("/\\evil.example", "/console")]
    [InlineData("/\t/evil.example", "/console")]
    [InlineData("/\n/evil.example", "/console")]
    [InlineData("/ /evil.example", "/console")]
    [InlineData("https://evil.example/", "/console")]
    [InlineData("javascript:alert(1)", "/console")]
    public void Should_go_only_to_a_path_of_this_site(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInEndpoints.LocalOrConsole(returnUrl));
}
