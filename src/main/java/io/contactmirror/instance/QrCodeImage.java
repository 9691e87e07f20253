package io.contactmirror.instance;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Renders a QR payload as a PNG with ZXing (which Cobalt already brings along). */
final class QrCodeImage {

    private QrCodeImage() {}

    static byte[] png(String payload, int size) {
        try {
            var matrix = new QRCodeWriter()
                    .encode(payload, BarcodeFormat.QR_CODE, size, size, Map.of(EncodeHintType.MARGIN, 2));
            var out = new ByteArrayOutputStream();
            MatrixToImageWriter.writeToStream(matrix, "PNG", out);
            return out.toByteArray();
        } catch (WriterException ex) {
            throw new IllegalArgumentException("QR payload cannot be encoded", ex);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
