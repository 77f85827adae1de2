// The fuzzing platform must be able to send what a hub has to survive, including a Struct
// nested deeper than protobufjs lets itself encode (util.recursionLimit, 100 levels, which
// @grpc/proto-loader's serializer runs into: "maximum nesting depth exceeded"). When that
// serializer refuses, the message is encoded again with the limit lifted for that one call,
// so the hub really receives the deep message and has to answer it. Only the fuzzer's own
// process is affected; the hub keeps protobufjs' default limit.
import protobuf from 'protobufjs';
import type { ServiceDefinition } from '@grpc/proto-loader';

const LIFTED_LIMIT = 100_000;

export function withDeepSerializer(service: ServiceDefinition): ServiceDefinition {
  const connect = service['Connect']!;
  const serialize = (message: object): Buffer => {
    try {
      return connect.responseSerialize(message);
    } catch {
      const limit = protobuf.util.recursionLimit;
      protobuf.util.recursionLimit = LIFTED_LIMIT;
      try {
        return connect.responseSerialize(message);
      } finally {
        protobuf.util.recursionLimit = limit;
      }
    }
  };
  return { ...service, Connect: { ...connect, responseSerialize: serialize } };
}
