using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SynchroMesh.BranchOutbox.Data;
using SynchroMesh.Contracts;
using SynchroMesh.HeadOfficeIngest.Data;

namespace SynchroMesh.Contracts.Tests;

/// <summary>
/// The sale's fields travel from the branch's row, through the message, into the head office's row. A field added to
/// one of them and not the others would be dropped on the way without an error; these specs name it instead.
/// </summary>
public sealed class When_the_sale_crosses_from_branch_to_head_office
{
    // What each type holds beside the sale: its identity and version, and each end's own bookkeeping.
    private static readonly string[] ContractKeys = [nameof(ProductSubmitted.BranchId), nameof(ProductSubmitted.ExternalId), nameof(ProductSubmitted.Version)];
    private static readonly string[] BranchBookkeeping =
    [
        nameof(BranchProduct.Id), nameof(BranchProduct.Version), nameof(BranchProduct.SentVersion), nameof(BranchProduct.AckedVersion),
        nameof(BranchProduct.SentAt), nameof(BranchProduct.AckedAt), nameof(BranchProduct.BatchId), nameof(BranchProduct.TraceParent),
        nameof(BranchProduct.SyncState),
    ];
    private static readonly string[] HeadOfficeBookkeeping =
    [
        nameof(StoredProduct.Id), nameof(StoredProduct.BranchId), nameof(StoredProduct.ExternalId), nameof(StoredProduct.Version),
        nameof(StoredProduct.ReceivedAt),
    ];

    [Fact]
    public void Should_carry_the_same_fields_of_the_same_types_at_both_ends_and_in_the_message()
    {
        var message = SaleFields(typeof(ProductSubmitted), ContractKeys);
        var branch = SaleFields(typeof(BranchProduct), BranchBookkeeping);
        var headOffice = SaleFields(typeof(StoredProduct), HeadOfficeBookkeeping);

        Assert.Equal(Describe(message), Describe(branch));
        Assert.Equal(Describe(message), Describe(headOffice));
    }

    [Fact]
    public void Should_give_each_field_the_same_column_at_both_ends()
    {
        using var branchDb = new BranchDbContextFactory().CreateDbContext([]);
        using var headOfficeDb = new HeadOfficeDbContextFactory().CreateDbContext([]);
        var branchColumns = Columns(branchDb.Model.FindEntityType(typeof(BranchProduct))!);
        var headOfficeColumns = Columns(headOfficeDb.Model.FindEntityType(typeof(StoredProduct))!);

        foreach (var field in SaleFields(typeof(ProductSubmitted), ContractKeys).Keys)
        {
            Assert.True(branchColumns.ContainsKey(field), $"the branch's table has no column for {field}");
            Assert.True(headOfficeColumns.ContainsKey(field), $"the head office's table has no column for {field}");
            Assert.True(branchColumns[field] == headOfficeColumns[field],
                $"{field}: the branch stores it as {branchColumns[field]}, the head office as {headOfficeColumns[field]}");
        }
    }

    private static Dictionary<string, Type> SaleFields(Type type, string[] besideTheSale) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => !besideTheSale.Contains(p.Name) && p.Name != "EqualityContract")
            .ToDictionary(p => p.Name, p => p.PropertyType);

    private static string[] Describe(Dictionary<string, Type> fields) =>
        [.. fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value.Name}{(Nullable.GetUnderlyingType(f.Value) is { } inner ? "<" + inner.Name + ">" : "")}")];

    private static Dictionary<string, string> Columns(IEntityType entity)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return entity.GetProperties().ToDictionary(
            p => p.Name,
            p => $"{p.GetColumnName(table)} {p.GetColumnType()}{(p.IsNullable ? " null" : " not null")}");
    }
}
