// Consumer smoke program: one producer thread sends 0..99, the receiver sums until disconnect.
#include <chancheck/mpsc.hpp>

#include <thread>

int main() {
  auto [tx, rx] = chancheck::mpsc::channel<int>();
  std::thread producer([tx = std::move(tx)]() mutable {
    for (int i = 0; i < 100; ++i) (void)tx.send(i);
  });
  long sum = 0;
  for (int v : rx) sum += v;  // ends when the sender is gone and the channel is drained
  producer.join();
  return sum == 4950 ? 0 : 1;
}
