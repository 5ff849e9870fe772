package dev.lode.report;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

/** Mails a run to its recipients over SMTP (Jakarta Mail, Eclipse Angus): the headline as HTML, the PDF attached. */
public record EmailTarget(SmtpSettings smtp, List<String> to) implements DeliveryTarget {

  @Override
  public String channel() {
    return "email";
  }

  @Override
  public String describe() {
    return String.join(",", to);
  }

  @Override
  public String redact(String message) {
    return smtp.password().filter(p -> p.length() >= 3).map(p -> message.replace(p, "****")).orElse(message);
  }

  @Override
  public void send(ReportMessage m) throws Exception {
    Session session = Session.getInstance(smtp.sessionProperties());
    MimeMessage mail = new MimeMessage(session);
    mail.setFrom(new InternetAddress(smtp.from()));
    mail.setRecipients(Message.RecipientType.TO, InternetAddress.parse(String.join(",", to), true));
    mail.setSubject(m.subject(), "UTF-8");
    mail.setSentDate(new Date());
    MimeMultipart body = new MimeMultipart("mixed");
    MimeMultipart alternative = new MimeMultipart("alternative");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(m.text(), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent(m.html(), "text/html; charset=UTF-8");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    MimeBodyPart wrapper = new MimeBodyPart();
    wrapper.setContent(alternative);
    body.addBodyPart(wrapper);
    for (Path file : m.attachments()) {
      MimeBodyPart part = new MimeBodyPart();
      part.setDataHandler(new DataHandler(new FileDataSource(file.toFile())));
      part.setFileName(file.getFileName().toString());
      body.addBodyPart(part);
    }
    mail.setContent(body);
    mail.saveChanges();
    String proto = smtp.security().equals("ssl") ? "smtps" : "smtp";
    try (Transport t = session.getTransport(proto)) {
      if (smtp.user().isPresent()) {
        t.connect(smtp.host(), smtp.port(), smtp.user().get(), smtp.password().orElse(""));
      } else {
        t.connect();
      }
      t.sendMessage(mail, mail.getAllRecipients());
    }
  }
}
