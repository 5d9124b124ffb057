using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SynchroMesh.Contracts;
using SynchroMesh.HeadOfficeIngest.Consumers;
using SynchroMesh.HeadOfficeIngest.Data;
using SynchroMesh.HeadOfficeIngest.Telemetry;
using SynchroMesh.Messaging;

namespace SynchroMesh.HeadOfficeIngest.Tests;

/// <summary>
/// The head office's ingest consumers on MassTransit's in-memory harness, with the rows kept in memory. What a branch's
/// broker user stamps in the AMQP user-id (and RabbitMQ validates) is played by a header the spec sets: the harness's
/// transport has no user-id, so a filter hands the consumers that header the way RabbitMQ's transport hands them the
/// property.
/// </summary>
public sealed class IngestHarness : HarnessContext
{
    public const string UserIdHeader = "spec-broker-user-id";

    private IngestHarness(ServiceProvider provider) : base(provider)
    {
    }

    public InMemoryProductStore Store => Provider.GetRequiredService<InMemoryProductStore>();

    public static async Task<IngestHarness> StartAsync()
    {
        var provider = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IngestMetrics>()
            .AddSingleton<InMemoryProductStore>()
            .AddSingleton<IProductStore>(sp => sp.GetRequiredService<InMemoryProductStore>())
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<ProductsSubmittedConsumer>();
                x.AddConsumer<ProductSubmittedConsumer>();
                x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseFilter(new BrokerUserIdFilter()));
            })
            .BuildServiceProvider(true);
        return await StartAsync(new IngestHarness(provider));
    }

    /// <summary>Publishes <paramref name="message"/> as the broker user <paramref name="publishedBy"/> (none when null).</summary>
    public Task PublishAsync<T>(T message, string? publishedBy) where T : class =>
        Harness.Bus.Publish(message, context =>
        {
            if (publishedBy is not null)
            {
                context.Headers.Set(UserIdHeader, publishedBy);
            }
        });

    /// <summary>The reason the consume of the message with this id failed, or null when it did not.</summary>
    public async Task<string?> FailureOfAsync<T>(Func<T, bool> which) where T : class
    {
        Assert.True(await Harness.Consumed.Any<T>(c => which(c.Context.Message)), $"no {typeof(T).Name} was consumed");
        var consumed = Harness.Consumed.Select<T>(c => which(c.Context.Message)).First();
        return consumed.Exception?.Message;
    }

    private sealed class BrokerUserIdFilter : IFilter<ConsumeContext>
    {
        public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            if (context.Headers.Get<string>(UserIdHeader) is { } userId)
            {
                context.ReceiveContext.GetOrAddPayload<RabbitMqBasicConsumeContext>(() => new BrokerDelivery(userId));
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("brokerUserId");
    }

    private sealed class BrokerDelivery(string userId) : RabbitMqBasicConsumeContext
    {
        public string Exchange => "";
        public string RoutingKey => "";
        public string ConsumerTag => "";
        public ulong DeliveryTag => 0;
        public IReadOnlyBasicProperties Properties { get; } = new BasicProperties { UserId = userId };
    }
}

/// <summary>The head office's rows in memory, by the same rule as the database's statement: the newest version wins.</summary>
public sealed class InMemoryProductStore : IProductStore
{
    private readonly Dictionary<(string BranchId, long ExternalId), ProductSubmitted> _rows = [];

    public IReadOnlyDictionary<(string BranchId, long ExternalId), ProductSubmitted> Rows
    {
        get
        {
            lock (_rows)
            {
                return new Dictionary<(string, long), ProductSubmitted>(_rows);
            }
        }
    }

    public Task<int> UpsertAsync(IReadOnlyList<ProductSubmitted> products, CancellationToken cancellationToken)
    {
        Assert.Equal(products.Count, products.DistinctBy(p => (p.BranchId, p.ExternalId)).Count());
        var written = 0;
        lock (_rows)
        {
            foreach (var product in products)
            {
                var key = (product.BranchId, product.ExternalId);
                if (!_rows.TryGetValue(key, out var stored) || stored.Version < product.Version)
                {
                    _rows[key] = product;
                    written++;
                }
            }
        }

        return Task.FromResult(written);
    }
}
