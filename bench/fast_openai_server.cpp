// A minimal OpenAI-compatible server for the harness load benchmark: one epoll thread, HTTP/1.1
// keep-alive, every POST answered at once with the same small chat completion. It exists so the
// benchmark measures reval's overhead, not the server's. Not a general HTTP server: it understands
// exactly what libcurl sends (Content-Length bodies, no chunked requests).
//
// Usage: fast_openai_server PORT_FILE   (binds 127.0.0.1:0 and writes the port to PORT_FILE)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>

namespace {

constexpr char kBody[] =
    "{\"id\":\"bench\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"The answer is \\\\boxed{42}.\",\"reasoning_content\":\"Short thought.\"},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"completion_tokens_details\":{\"reasoning_tokens\":5}}}";

struct Connection {
  std::string in;
  std::string out;
};

// Consumes every complete request in `c.in` and queues one response per request.
void handle_requests(Connection& c, const std::string& response) {
  while (true) {
    const std::size_t header_end = c.in.find("\r\n\r\n");
    if (header_end == std::string::npos) return;
    std::size_t length = 0;
    // Header names are case-insensitive; libcurl sends "Content-Length".
    for (const char* name : {"Content-Length:", "content-length:"}) {
      const std::size_t at = c.in.find(name);
      if (at != std::string::npos && at < header_end) length = std::strtoul(c.in.c_str() + at + 15, nullptr, 10);
    }
    if (c.in.size() < header_end + 4 + length) return;
    c.in.erase(0, header_end + 4 + length);
    c.out += response;
  }
}

bool flush(int fd, Connection& c) {
  while (!c.out.empty()) {
    const ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN;
    c.out.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fast_openai_server PORT_FILE\n");
    return 2;
  }
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(sizeof kBody - 1) + "\r\n\r\n" + kBody;
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, 1024) != 0) {
    std::perror("bind/listen");
    return 1;
  }
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  {
    std::ofstream(std::string(argv[1]) + ".tmp") << ntohs(address.sin_port);
    std::rename((std::string(argv[1]) + ".tmp").c_str(), argv[1]);
  }
  const int epoll = ::epoll_create1(0);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = listener;
  ::epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
  std::unordered_map<int, Connection> connections;
  epoll_event events[256];
  char buffer[1 << 16];
  while (true) {
    const int n = ::epoll_wait(epoll, events, 256, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listener) {
        while (true) {
          const int client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
          if (client < 0) break;
          ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event client_event{};
          client_event.events = EPOLLIN | EPOLLOUT | EPOLLET;
          client_event.data.fd = client;
          ::epoll_ctl(epoll, EPOLL_CTL_ADD, client, &client_event);
          connections[client];
        }
        continue;
      }
      Connection& c = connections[fd];
      bool open = true;
      while (true) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got > 0) {
          c.in.append(buffer, static_cast<std::size_t>(got));
          continue;
        }
        if (got == 0 || errno != EAGAIN) open = false;
        break;
      }
      handle_requests(c, response);
      if (open) open = flush(fd, c);
      if (!open) {
        ::close(fd);
        connections.erase(fd);
      }
    }
  }
}
