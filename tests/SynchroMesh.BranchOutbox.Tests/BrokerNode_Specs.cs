namespace SynchroMesh.BranchOutbox.Tests;

public sealed class When_a_cluster_node_is_read_from_the_settings
{
    [Theory]
    [InlineData("rabbit-1", "rabbit-1", 5672)]
    [InlineData("rabbit-1:5701", "rabbit-1", 5701)]
    [InlineData("10.0.0.7:5671", "10.0.0.7", 5671)]
    [InlineData("[::1]", "[::1]", 5672)]
    [InlineData("[fd00::7]:5702", "[fd00::7]", 5702)]
    public void Should_take_the_host_and_the_port_or_the_default_port(string text, string host, int port)
    {
        Assert.True(BrokerNode.TryParse(text, 5672, out var node));
        Assert.Equal(new BrokerNode(host, port), node);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":5701")]
    [InlineData("rabbit-1:")]
    [InlineData("rabbit-1:0")]
    [InlineData("rabbit-1:65536")]
    [InlineData("rabbit-1:amqp")]
    [InlineData("::1")]
    [InlineData("rabbit 1:5701")]
    public void Should_refuse_what_is_not_a_host_and_port(string text)
    {
        Assert.False(BrokerNode.TryParse(text, 5672, out _));
    }

    [Fact]
    public void Should_list_every_node_of_the_setting_or_else_the_host()
    {
        Assert.Equal([new BrokerNode("broker", 5671)], new RabbitMqOptions { Host = "broker", Port = 5671 }.Endpoints());
        Assert.Equal(
            [new BrokerNode("a", 5701), new BrokerNode("b", 5671), new BrokerNode("c", 5703)],
            new RabbitMqOptions { Host = "a", Port = 5671, Nodes = " a:5701, b ,c:5703," }.Endpoints());
    }
}
