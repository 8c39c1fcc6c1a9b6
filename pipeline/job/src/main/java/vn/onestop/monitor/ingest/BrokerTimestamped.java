package vn.onestop.monitor.ingest;

/** A parsed record that remembers when the broker took it (the Kafka record timestamp; 0 or less when unknown). */
public interface BrokerTimestamped {
    long brokerTimestamp();
}
