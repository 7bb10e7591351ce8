// accord/server/listen_address.h: parsing `--listen HOST:PORT`. Pure; any thread.
#ifndef ACCORD_SERVER_LISTEN_ADDRESS_H_
#define ACCORD_SERVER_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "accord/status.h"

namespace accord::server {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 literal, or "localhost"
  uint16_t port = 0;
};

// Accepts "127.0.0.1:8080", "[::1]:8080", "localhost:8080" and ":8080" (loopback).
Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace accord::server

#endif  // ACCORD_SERVER_LISTEN_ADDRESS_H_
