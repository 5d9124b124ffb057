// The integration specs share one broker and one PostgreSQL server (and some stop, kill or cut them), and every head
// office consumes the same queues, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
