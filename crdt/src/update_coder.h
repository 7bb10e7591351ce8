// update_coder.h: the one interface behind which the Yjs update formats v1 and v2 are written
// and read.
//
// Struct and delete-set serialisation (encoding.cc, delete_set.cc, updates.cc) is written once
// against UpdateEncoder / UpdateDecoder; UpdateEncoderV1/V2 and UpdateDecoderV1/V2 decide the
// bytes. The methods mirror Yjs's (UpdateEncoder.js / UpdateDecoder.js) one for one, so that the
// same call sequence yields the same bytes as Yjs. Single-threaded: one coder per encode/decode.
//
// Decoders never read past their input: on truncated or malformed input they throw DecodeError
// (internal to crdt/; every public entry point catches it and returns a Status).
#ifndef ACCORD_CRDT_UPDATE_CODER_H_
#define ACCORD_CRDT_UPDATE_CODER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "accord/crdt/any.h"

namespace accord::crdt {

// A client id (uint53 in Yjs, but always < 2^53) and a clock.
struct Id {
  uint64_t client = 0;
  uint64_t clock = 0;
  bool operator==(const Id&) const = default;
};

// Thrown by decoders on malformed input; never escapes crdt/'s public API.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UpdateEncoder {
 public:
  virtual ~UpdateEncoder() = default;
  // The finished update (v1: the rest encoder; v2: all columns, then the rest).
  virtual std::vector<uint8_t> ToBytes() = 0;
  // Direct access to the main ("rest") stream for varuints such as struct counts and clocks.
  virtual void WriteRestVarUint(uint64_t v) = 0;
  // The rest stream written so far, leaving it empty, and raw appends to it. Yjs's
  // LazyStructWriter (updates.cc) swaps out the rest stream this way to write struct sections
  // whose counts are known only at the end; the v2 columns are not affected.
  virtual std::vector<uint8_t> TakeRest() = 0;
  virtual void WriteRestBytes(std::span<const uint8_t> bytes) = 0;
  virtual bool IsV2() const = 0;

  // Delete-set part.
  virtual void ResetDsCurVal() = 0;
  virtual void WriteDsClock(uint64_t clock) = 0;
  virtual void WriteDsLen(uint64_t len) = 0;

  // Struct part.
  virtual void WriteLeftId(const Id& id) = 0;
  virtual void WriteRightId(const Id& id) = 0;
  virtual void WriteClient(uint64_t client) = 0;
  virtual void WriteInfo(uint8_t info) = 0;
  virtual void WriteString(std::string_view s) = 0;
  // WriteString for a caller that knows the string's UTF-16 length (`utf16_units`, which must
  // be right); v2 stores that length and so need not count it again.
  virtual void WriteStringUnits(std::string_view s, uint64_t utf16_units);
  virtual void WriteParentInfo(bool is_ykey) = 0;
  virtual void WriteTypeRef(uint8_t type_ref) = 0;
  virtual void WriteLen(uint64_t len) = 0;
  virtual void WriteAny(const Any& any) = 0;
  virtual void WriteBuf(std::span<const uint8_t> buf) = 0;
  // ContentEmbed / ContentFormat values: v1 writes JSON.stringify text (Any::ToJsonLikeJs), v2
  // writes Any.
  virtual void WriteJson(const Any& value) = 0;
  virtual void WriteKey(std::string_view key) = 0;
};

class UpdateDecoder {
 public:
  virtual ~UpdateDecoder() = default;
  virtual uint64_t ReadRestVarUint() = 0;
  virtual bool IsV2() const = 0;
  // True when the rest stream has no bytes left (used to detect trailing data / end of input).
  virtual bool RestEmpty() const = 0;

  virtual void ResetDsCurVal() = 0;
  virtual uint64_t ReadDsClock() = 0;
  virtual uint64_t ReadDsLen() = 0;

  virtual Id ReadLeftId() = 0;
  virtual Id ReadRightId() = 0;
  virtual uint64_t ReadClient() = 0;
  virtual uint8_t ReadInfo() = 0;
  virtual std::string ReadString() = 0;
  // ReadString, also returning the string's length in UTF-16 code units.
  virtual std::string ReadStringUnits(uint64_t* utf16_units);
  virtual bool ReadParentInfo() = 0;
  virtual uint8_t ReadTypeRef() = 0;
  virtual uint64_t ReadLen() = 0;
  virtual Any ReadAny() = 0;
  virtual std::vector<uint8_t> ReadBuf() = 0;
  virtual Any ReadJson() = 0;
  virtual std::string ReadKey() = 0;
};

std::unique_ptr<UpdateEncoder> NewUpdateEncoderV1();
std::unique_ptr<UpdateEncoder> NewUpdateEncoderV2();
// The decoder reads from `data`, which must outlive it. Throws DecodeError if even the v2
// column headers cannot be read.
std::unique_ptr<UpdateDecoder> NewUpdateDecoderV1(std::span<const uint8_t> data);
std::unique_ptr<UpdateDecoder> NewUpdateDecoderV2(std::span<const uint8_t> data);

// Delete-set-only coders (Yjs DSEncoderV2 / DSDecoderV2), as snapshots use them: no column
// header, only the rest stream. Only the Ds* and rest methods may be called; the decoder throws
// DecodeError from the struct methods. (For v1, the update coders serve as DS coders already.)
std::unique_ptr<UpdateEncoder> NewDsEncoderV2();
std::unique_ptr<UpdateDecoder> NewDsDecoderV2(std::span<const uint8_t> data);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_UPDATE_CODER_H_
