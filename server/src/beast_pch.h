// beast_pch.h: the precompiled header for server/ sources. Boost.Beast and Asio are the
// slowest headers in the build; compiling them once per build directory keeps rebuilds fast.
#ifndef ACCORD_SERVER_BEAST_PCH_H_
#define ACCORD_SERVER_BEAST_PCH_H_

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#endif  // ACCORD_SERVER_BEAST_PCH_H_
