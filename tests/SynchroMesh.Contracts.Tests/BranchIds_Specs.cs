namespace SynchroMesh.Contracts.Tests;

/// <summary>A branch id's rule is written three ways (the pattern, its length and its words): they must agree.</summary>
public sealed class When_a_branch_id_is_checked
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("north-7", true)]
    [InlineData("7-south", true)]
    [InlineData("-north", false)]
    [InlineData("North", false)]
    [InlineData("north_7", false)]
    [InlineData("north.7", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Should_take_lower_case_letters_digits_and_dashes_starting_with_a_letter_or_digit(string? branchId, bool valid) =>
        Assert.Equal(valid, BranchIds.IsValid(branchId));

    [Fact]
    public void Should_take_at_most_its_maximum_length_as_its_words_say()
    {
        Assert.True(BranchIds.IsValid(new string('a', BranchIds.MaxLength)));
        Assert.False(BranchIds.IsValid(new string('a', BranchIds.MaxLength + 1)));
        Assert.Contains($"at most {BranchIds.MaxLength},", BranchIds.Rule);
    }
}
