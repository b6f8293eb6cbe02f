using Microsoft.Data.Sqlite;

namespace PortkeyAdminMcp.Policy;

/// <summary>
/// Counters in one SQLite file, shared by every server process on the machine that names it. A reservation is
/// one write transaction (BEGIN IMMEDIATE), so processes racing for the last unit of a quota are serialised.
/// </summary>
public sealed class SqliteCounterStore : ICounterStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;

    public SqliteCounterStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        // A first run on a machine should not fail every call because the folder is not there yet.
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 10,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Creates the file and its table if needed; the reason it cannot, or null.</summary>
    public static string? Probe(string path)
    {
        try
        {
            var store = new SqliteCounterStore(path);
            try
            {
                using var connection = new SqliteConnection(store._connectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = SchemaSql;
                command.ExecuteNonQuery();
            }
            finally
            {
                store._setup.Dispose();
                SqliteConnection.ClearAllPools();
            }

            return null;
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot use '{path}' for counters ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})";
        }
    }

    // WAL lets readers in other processes go on while one process holds the write lock.
    private const string SchemaSql =
        "PRAGMA journal_mode = WAL; " +
        "CREATE TABLE IF NOT EXISTS policy_counters (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, value INTEGER NOT NULL)";

    public string Description => $"sqlite:{Path}";

    public async ValueTask<IReadOnlyDictionary<string, long>> ReadAsync(IReadOnlyList<(string Key, CounterWindow Window)> counters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (counters.Count == 0)
        {
            return values;
        }

        await using var connection = await OpenAsync(cancellationToken);
        foreach (var (key, window) in counters)
        {
            values[key] = await CurrentAsync(connection, null, key, CounterWindows.Start(window, now), cancellationToken);
        }

        return values;
    }

    public async ValueTask<ReserveOutcome> ReserveAsync(IReadOnlyList<CounterCharge> charges, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var held = new List<HeldCharge>(charges.Count);
        foreach (var charge in charges)
        {
            var start = CounterWindows.Start(charge.Window, now);
            var current = await CurrentAsync(connection, transaction, charge.Key, start, cancellationToken);
            if (charge.Limit is { } limit && current + charge.Amount > limit)
            {
                await transaction.RollbackAsync(cancellationToken);
                return new ReserveOutcome(null, charge, current);
            }

            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText =
                "INSERT INTO policy_counters (key, window_start, value) VALUES ($key, $start, $value) " +
                "ON CONFLICT(key) DO UPDATE SET window_start = excluded.window_start, value = excluded.value";
            upsert.Parameters.AddWithValue("$key", charge.Key);
            upsert.Parameters.AddWithValue("$start", start);
            upsert.Parameters.AddWithValue("$value", current + charge.Amount);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            held.Add(new HeldCharge(charge.Key, start, charge.Amount));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ReserveOutcome(held, null, 0);
    }

    public async ValueTask ReleaseAsync(IReadOnlyList<HeldCharge> held, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var charge in held)
        {
            await using var release = connection.CreateCommand();
            release.CommandText = "UPDATE policy_counters SET value = MAX(0, value - $amount) WHERE key = $key AND window_start = $start";
            release.Parameters.AddWithValue("$amount", charge.Amount);
            release.Parameters.AddWithValue("$key", charge.Key);
            release.Parameters.AddWithValue("$start", charge.WindowStart);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _setup.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!_ready)
            {
                await CreateSchemaAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = SchemaSql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    private static async Task<long> CurrentAsync(SqliteConnection connection, SqliteTransaction? transaction, string key, long windowStart, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT value FROM policy_counters WHERE key = $key AND window_start = $start";
        read.Parameters.AddWithValue("$key", key);
        read.Parameters.AddWithValue("$start", windowStart);
        return await read.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
    }
}
