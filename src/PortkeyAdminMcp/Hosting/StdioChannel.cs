using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace PortkeyAdminMcp.Hosting;

/// <summary>
/// stdin and stdout as the MCP transport reads and writes them, with three promises the SDK's own stdio streams do
/// not keep: a client that closes stdin right after writing its requests still gets their answers (end of input is
/// held back until every request read so far is answered, or a short grace has passed); no line can grow without
/// bound in memory; and a client that went away (a broken stdout pipe) is noted quietly instead of surfacing as
/// errors inside the server.
/// </summary>
public sealed class StdioChannel
{
    /// <summary>Longer lines are cut here; the SDK then answers a parse error if it can still find the request id.</summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    /// <summary>How long answers still being worked out may take once the client has closed stdin.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private readonly PendingRequests _pending = new();

    public StdioChannel(Stream input, Stream output, ClientConnection connection, TimeProvider clock, TimeSpan? grace = null)
    {
        Input = new TrackingInput(input, _pending, clock, grace ?? Grace);
        Output = new TrackingOutput(new BufferedStream(output), _pending, connection);
    }

    public Stream Input { get; }

    public Stream Output { get; }

    /// <summary>Requests read and not yet answered, by their JSON-RPC id (kind and text, so 1 and "1" differ).</summary>
    private sealed class PendingRequests
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private TaskCompletionSource _empty = Completed();

        public void Add(string id)
        {
            lock (_gate)
            {
                if (_ids.Add(id) && _ids.Count == 1)
                {
                    _empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        public void Remove(string id)
        {
            lock (_gate)
            {
                if (_ids.Remove(id) && _ids.Count == 0)
                {
                    _empty.TrySetResult();
                }
            }
        }

        public Task WhenEmpty()
        {
            lock (_gate)
            {
                return _empty.Task;
            }
        }

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }

    /// <summary>What one JSON-RPC line is, read from its top level only: its id, method, and for a cancellation the id it cancels.</summary>
    private static (string? Id, string? Method, string? Cancels, bool IsResponse) Inspect(ReadOnlySpan<byte> line)
    {
        string? id = null, method = null, cancels = null;
        var isResponse = false;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "id":
                        id = IdKey(ref reader);
                        break;
                    case "method" when reader.TokenType == JsonTokenType.String:
                        method = reader.GetString();
                        break;
                    case "result" or "error":
                        isResponse = true;
                        reader.Skip();
                        break;
                    case "params" when reader.TokenType == JsonTokenType.StartObject:
                        cancels = CancelledId(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON-RPC we can read; the SDK answers it (or not) on its own.
        }

        return (id, method, method == "notifications/cancelled" ? cancels : null, isResponse);
    }

    private static string? IdKey(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "s:" + reader.GetString(),
        JsonTokenType.Number => "n:" + System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static string? CancelledId(ref Utf8JsonReader reader)
    {
        string? requestId = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "requestId")
                {
                    requestId = IdKey(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return requestId;
    }

    private sealed class TrackingInput(Stream inner, PendingRequests pending, TimeProvider clock, TimeSpan grace) : Stream
    {
        private readonly ArrayBufferWriter<byte> _line = new();
        private bool _dropping;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_ended)
            {
                return 0;
            }

            while (true)
            {
                // Console streams ignore cancellation; WaitAsync lets a shutdown stop waiting on them.
                var read = await inner.ReadAsync(buffer, cancellationToken).AsTask().WaitAsync(cancellationToken);
                if (read > 0)
                {
                    // A chunk wholly beyond an over-long line keeps nothing; 0 would read as the end of input.
                    var kept = Track(buffer.Span[..read]);
                    if (kept > 0)
                    {
                        return kept;
                    }

                    continue;
                }

                if (_line.WrittenCount > 0)
                {
                    LineEnded();
                }

                _ended = true;
                try
                {
                    await pending.WhenEmpty().WaitAsync(grace, clock, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // The grace is over: what is still running is cancelled when the session ends.
                }

                return 0;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Notes every complete line's request id, and drops the part of any line beyond <see cref="MaxLineBytes"/>.</summary>
        private int Track(Span<byte> data)
        {
            var kept = 0;
            var start = 0;
            while (start < data.Length)
            {
                var newline = data[start..].IndexOf((byte)'\n');
                var end = newline < 0 ? data.Length : start + newline;
                var segment = data[start..end];
                var take = Math.Min(Math.Max(0, MaxLineBytes - _line.WrittenCount), segment.Length);
                _dropping |= take < segment.Length;
                _line.Write(segment[..take]);
                segment[..take].CopyTo(data[kept..]);
                kept += take;
                if (newline < 0)
                {
                    break;
                }

                LineEnded();
                data[kept++] = (byte)'\n';
                start = end + 1;
            }

            return kept;
        }

        private void LineEnded()
        {
            if (!_dropping)
            {
                var (id, method, cancels, isResponse) = Inspect(_line.WrittenSpan);
                if (id is not null && method is not null && !isResponse)
                {
                    pending.Add(id);
                }

                if (cancels is not null)
                {
                    pending.Remove(cancels);
                }
            }

            _dropping = false;
            _line.ResetWrittenCount();
            if (_line.Capacity > 64 * 1024)
            {
                // Give a huge line's memory back rather than keep it for the life of the session.
                _line.Clear();
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class TrackingOutput(Stream inner, PendingRequests pending, ClientConnection connection) : Stream
    {
        private readonly List<string> _written = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (connection.OutputBroken)
            {
                return;
            }

            var (id, _, _, isResponse) = buffer.Length > 1 ? Inspect(buffer.Span) : default;
            if (id is not null && isResponse)
            {
                _written.Add(id);
            }

            try
            {
                await inner.WriteAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                connection.MarkOutputBroken();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (!connection.OutputBroken)
                {
                    await inner.FlushAsync(cancellationToken);
                }
            }
            catch (IOException)
            {
                // The client closed its end: nothing more can reach it, and that is not a fault of this server.
                connection.MarkOutputBroken();
            }
            finally
            {
                foreach (var id in _written)
                {
                    pending.Remove(id);
                }

                _written.Clear();
            }
        }

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    inner.Dispose();
                }
                catch (IOException)
                {
                    // A final flush into a closed pipe.
                }
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>Registers the SDK's stream transport over <see cref="StdioChannel"/> in place of its plain stdio transport.</summary>
public static class StdioChannelSetup
{
    public static IMcpServerBuilder WithGuardedStdioTransport(this IMcpServerBuilder builder)
    {
        builder.WithStdioServerTransport();
        builder.Services.Replace(ServiceDescriptor.Singleton<ModelContextProtocol.Protocol.ITransport>(services =>
        {
            var channel = new StdioChannel(
                Console.OpenStandardInput(),
                Console.OpenStandardOutput(),
                services.GetRequiredService<ClientConnection>(),
                services.GetRequiredService<TimeProvider>());
            return new ModelContextProtocol.Server.StreamServerTransport(channel.Input, channel.Output, ServerIdentity.Name, services.GetService<ILoggerFactory>());
        }));
        return builder;
    }
}
