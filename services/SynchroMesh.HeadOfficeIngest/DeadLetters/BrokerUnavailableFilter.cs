using RabbitMQ.Client.Exceptions;

namespace SynchroMesh.HeadOfficeIngest.DeadLetters;

/// <summary>
/// The dead-message endpoints answer <c>503</c> naming what failed when the broker (its AMQP port or its management
/// API) cannot be used, instead of a bare 500: the console shows the reason, and a caller knows to try again.
/// </summary>
public sealed class BrokerUnavailableFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is BrokerManagementException or HttpRequestException or BrokerUnreachableException or OperationInterruptedException
                                      or TaskCanceledException && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The broker cannot be read now",
                detail: $"The error queues could not be read: {e.Message} (DeadLetters:ManagementUrl, RabbitMq settings).");
        }
    }
}
