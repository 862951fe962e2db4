package nl.demolen.crm.notify;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import com.slack.api.Slack;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Sends order notifications to Slack.
 */
@Service
public class NotificationService {

    private static final String SLACK_BOT_TOKEN = "xoxb-575776208435-3520538776128-cfI7bvNRQ7sN1A1TVwsZQSYj";
    private static final String SLACK_WEBHOOK = "https://hooks.slack.com/services/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";

    @Autowired
    private OrderRepository orders;

    DataSource reportingDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"172.16.8.31"});
        ds.setUser("reporting");
        ds.setPassword("riQ96jFNN4Rt");
        return ds;
    }

    public void notifyNewOrder(Order o) throws Exception {
        Slack.getInstance().methods(SLACK_BOT_TOKEN).chatPostMessage(r -> r.channel("#orders").text("Nieuwe bestelling " + o.getNumber()));
    }

    public void save(@javax.validation.Valid Order o) {
        orders.save(o);
    }
}
