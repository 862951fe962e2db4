package nl.despaak.payments;

import com.adyen.Client;
import com.adyen.enums.Environment;

public final class PaymentConfig {
    // Adyen live credentials (marketplace terminals in de winkel)
    private static final String ADYEN_API_KEY = "AQECpm8YHzcAR1WL1bYWtXg+KljXBI9GVMVp3XuhVZrYdwKKpuJtPF/hMIsXzJGZRV9YMhQ6RWhZq1038dT3jXEg5r4bqHR=-LuKB3WAAoUZt8e6IQqSyOdTU4ZhJUVJYatUaJBxc=->JiUMZzQ";
    private static final String ADYEN_CLIENT_KEY = "live_Z3YMRGTKEUJ14H3GSFEU7RYJA1J16RRL";
    private static final String MERCHANT = "DeSpaakFietsenECOM";
    private static final String VERSION = "30.2.0.1";

    public static Client client() {
        return new Client(ADYEN_API_KEY, Environment.LIVE, "8f8jroz1f1phlkqd-DeSpaak");
    }
}
