// A one-node ONNX model, y = Softmax(x, axis = -1), encoded by hand so the benchmark needs no model
// file and no ONNX tooling. Only what the model needs of protobuf's wire format is here: varints
// (wire type 0) and length-delimited fields (wire type 2: strings and nested messages). Field numbers
// are those of onnx.proto (ONNX IR version 8):
//
//   ModelProto          ir_version = 1 (int64), producer_name = 2, graph = 7, opset_import = 8
//   OperatorSetIdProto  domain = 1, version = 2 (int64)
//   GraphProto          node = 1, name = 2, input = 11, output = 12
//   NodeProto           input = 1, output = 2, name = 3, op_type = 4, attribute = 5
//   AttributeProto      name = 1, i = 3 (int64), type = 20 (AttributeType enum: INT = 2)
//   ValueInfoProto      name = 1, type = 2
//   TypeProto           tensor_type = 1
//   TypeProto.Tensor    elem_type = 1 (TensorProto.DataType enum: FLOAT = 1), shape = 2
//   TensorShapeProto    dim = 1
//   Dimension           dim_value = 1 (int64), dim_param = 2 (string)

const VARINT = 0, LENGTH_DELIMITED = 2;
const utf8 = new TextEncoder();

/** The varint bytes of an integer; a negative one as its 64-bit two's complement (always 10 bytes). */
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return bytes;
}

const key = (field, wireType) => varint((field << 3) | wireType);

/** A message: the concatenation of its fields, each made by one of the helpers below. */
const message = (...fields) => Uint8Array.from(fields.flat());
/** An integer field (int32, int64 or enum). */
const int = (field, value) => [...key(field, VARINT), ...varint(value)];
/** A length-delimited field: a nested message's bytes, or a string (encoded as UTF-8). */
function bytes(field, value) {
  const body = typeof value === "string" ? utf8.encode(value) : value;
  return [...key(field, LENGTH_DELIMITED), ...varint(body.length), ...body];
}

const FLOAT = 1; // TensorProto.DataType
const ATTRIBUTE_INT = 2; // AttributeProto.AttributeType

/** A ValueInfoProto for a float tensor; each dim a number (fixed) or a string (symbolic). */
function floatTensorInfo(name, dims) {
  const shape = message(...dims.map((d) => bytes(1, message(typeof d === "number" ? int(1, d) : bytes(2, d)))));
  const tensorType = message(int(1, FLOAT), bytes(2, shape));
  return message(bytes(1, name), bytes(2, message(bytes(1, tensorType))));
}

/**
 * The bytes of an ONNX model computing y = Softmax(x) along the last axis (opset 13, where Softmax is
 * per-axis rather than flattened to 2-D). `dims` gives x's and y's shape: numbers for fixed sizes,
 * strings for symbolic ones (e.g. ["rows", "cols"]).
 */
export function softmaxModel(dims, { input = "x", output = "y" } = {}) {
  const axis = message(bytes(1, "axis"), int(20, ATTRIBUTE_INT), int(3, -1));
  const node = message(bytes(1, input), bytes(2, output), bytes(3, "softmax"), bytes(4, "Softmax"), bytes(5, axis));
  const graph = message(
    bytes(1, node), bytes(2, "softmax_last_axis"),
    bytes(11, floatTensorInfo(input, dims)), bytes(12, floatTensorInfo(output, dims)),
  );
  const opset = message(bytes(1, ""), int(2, 13));
  return message(int(1, 8), bytes(2, "softmax-bench"), bytes(7, graph), bytes(8, opset));
}
