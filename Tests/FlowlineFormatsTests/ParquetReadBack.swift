import Foundation
import Testing

/// A Parquet file as two independent readers see it: pyarrow and DuckDB (values rendered as exact
/// strings), plus pyarrow's footer metadata and a page walk done by a small Python Thrift reader.
struct ParquetReadBack: Decodable {
    struct Table: Decodable {
        /// (column name, type name as the reader prints it)
        let schema: [[String]]
        /// Row-major cells; nil is null. Doubles are their IEEE bit pattern as a signed integer,
        /// dates are days since 1970-01-01, timestamps microseconds since the epoch.
        let rows: [[String?]]
    }

    struct ColumnChunk: Decodable {
        let compression: String
        let encodings: [String]
        let hasDictionaryPage: Bool
        let nullCount: Int?
        let min: String?
        let max: String?
        let numValues: Int
        /// Page types in file order, as `parquet.thrift` numbers them (0 data, 2 dictionary).
        let pageTypes: [Int]
        let dataPageValueCounts: [Int]
    }

    struct RowGroup: Decodable {
        let numRows: Int
        let columns: [ColumnChunk]
    }

    struct Metadata: Decodable {
        let numRows: Int
        let createdBy: String
        let formatVersion: String
        let keyValue: [String: String]
        let rowGroups: [RowGroup]
    }

    let arrow: Table
    let duckdb: Table
    let metadata: Metadata

    struct ReaderError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) throws -> ParquetReadBack {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-readback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.json")
        let errors = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, output.path]
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        if process.terminationStatus == 3 {
            throw ReaderError(description: "pyarrow or duckdb is missing for python3 (\(stderr)); run `pip install pyarrow duckdb`")
        }
        guard process.terminationStatus == 0 else {
            throw ReaderError(description: "python3 reading \(path) exited with \(process.terminationStatus): \(stderr)")
        }
        return try JSONDecoder().decode(ParquetReadBack.self, from: Data(contentsOf: output))
    }

    private static let script = #"""
import sys, json, struct
try:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import duckdb
except ImportError as error:
    sys.stderr.write(str(error))
    sys.exit(3)

path, out = sys.argv[1], sys.argv[2]

def double_bits(x):
    return str(struct.unpack('<q', struct.pack('<d', x))[0])

def arrow_cell(t, v):
    if v is None: return None
    if pa.types.is_boolean(t): return 'true' if v else 'false'
    if pa.types.is_floating(t): return double_bits(v)
    if pa.types.is_decimal(t): return format(v, 'f')
    return str(v)

table = pq.read_table(path)
arrow_columns = []
for field, column in zip(table.schema, table.columns):
    t = field.type
    if pa.types.is_timestamp(t): column = column.cast(pa.int64())
    elif pa.types.is_date32(t): column = column.cast(pa.int32())
    arrow_columns.append([arrow_cell(t, v) for v in column.to_pylist()])
arrow = {
    'schema': [[f.name, str(f.type)] for f in table.schema],
    'rows': [list(r) for r in zip(*arrow_columns)] if arrow_columns else [],
}

con = duckdb.connect()
source = "read_parquet('" + path.replace("'", "''") + "')"
described = con.sql('select * from ' + source)
names, types = described.columns, [str(t) for t in described.types]
expressions = []
for name, t in zip(names, types):
    q = '"' + name.replace('"', '""') + '"'
    if t.startswith('TIMESTAMP'): expressions.append('epoch_us(' + q + ')')
    elif t == 'DATE': expressions.append("datediff('day', DATE '1970-01-01', " + q + ')')
    elif t.startswith('DECIMAL'): expressions.append('cast(' + q + ' as varchar)')
    else: expressions.append(q)
def duck_cell(t, v):
    if v is None: return None
    if t == 'BOOLEAN': return 'true' if v else 'false'
    if t == 'DOUBLE': return double_bits(v)
    return str(v)
rows = con.sql('select ' + ', '.join(expressions) + ' from ' + source).fetchall()
duck = {
    'schema': [[n, t] for n, t in zip(names, types)],
    'rows': [[duck_cell(t, v) for t, v in zip(types, row)] for row in rows],
}

def varint(b, i):
    shift = result = 0
    while True:
        byte = b[i]; i += 1
        result |= (byte & 0x7f) << shift
        if byte < 0x80: return result, i
        shift += 7

def zigzag(n): return (n >> 1) ^ -(n & 1)

def value(b, i, t):
    if t == 1: return True, i
    if t == 2: return False, i
    if t == 3: return b[i], i + 1
    if t in (4, 5, 6):
        v, i = varint(b, i); return zigzag(v), i
    if t == 7: return b[i:i + 8], i + 8
    if t == 8:
        n, i = varint(b, i); return b[i:i + n], i + n
    if t in (9, 10):
        h = b[i]; i += 1
        n, et = h >> 4, h & 0x0f
        if n == 15: n, i = varint(b, i)
        items = []
        for _ in range(n):
            if et in (1, 2):
                items.append(b[i] == 1); i += 1
            else:
                v, i = value(b, i, et); items.append(v)
        return items, i
    if t == 12: return struct_(b, i)
    raise ValueError('thrift type %d' % t)

def struct_(b, i):
    fields, last = {}, 0
    while True:
        h = b[i]; i += 1
        if h == 0: return fields, i
        t, delta = h & 0x0f, h >> 4
        if delta: fid = last + delta
        else:
            v, i = varint(b, i); fid = zigzag(v)
        last = fid
        fields[fid], i = value(b, i, t)

data = open(path, 'rb').read()
meta = pq.ParquetFile(path).metadata
groups = []
for g in range(meta.num_row_groups):
    rg = meta.row_group(g)
    columns = []
    for c in range(rg.num_columns):
        cc = rg.column(c)
        stats = cc.statistics if cc.is_stats_set else None
        start = cc.dictionary_page_offset if cc.has_dictionary_page else cc.data_page_offset
        position, end = start, start + cc.total_compressed_size
        page_types, counts = [], []
        while position < end:
            header, position = struct_(data, position)
            page_types.append(header[1])
            if header[1] == 0: counts.append(header[5][1])
            position += header[3]
        columns.append({
            'compression': cc.compression, 'encodings': list(cc.encodings),
            'hasDictionaryPage': cc.has_dictionary_page,
            'nullCount': stats.null_count if stats is not None and stats.has_null_count else None,
            'min': str(stats.min) if stats is not None and stats.has_min_max else None,
            'max': str(stats.max) if stats is not None and stats.has_min_max else None,
            'numValues': cc.num_values, 'pageTypes': page_types, 'dataPageValueCounts': counts,
        })
    groups.append({'numRows': rg.num_rows, 'columns': columns})
metadata = {
    'numRows': meta.num_rows, 'createdBy': meta.created_by, 'formatVersion': str(meta.format_version),
    'keyValue': {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()},
    'rowGroups': groups,
}
with open(out, 'w') as f:
    json.dump({'arrow': arrow, 'duckdb': duck, 'metadata': metadata}, f)
"""#
}
