package nl.planbaar.worker;

import com.twilio.Twilio;

public final class Notifier {
    private static final String TWILIO_ACCOUNT_SID = "AC63423c35660817dee4a85f160ce9c65c";
    private static final String TWILIO_AUTH_TOKEN = "1920fb68addb8776782f4915bfcf3ab6";
    private static final String SMTP_PASSWORD = "ZQfrXxdm6s9ndbipZquRtp";
    private static final String FALLBACK_NUMBER = "+31 20 000 0000";
    private static final String SCHEMA = "http://www.w3.org/2001/XMLSchema-instance";

    static { Twilio.init(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN); }
}
