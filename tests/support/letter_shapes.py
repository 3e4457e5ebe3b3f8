"""Letters written for the tests in the shapes the ministry and the news write them, and as legal-document sites
paste them: an issuer block wrapped over two lines, a number and a date wrapped in a narrow column, table
borders around the addressees, pairs of hotlines, an event's moment inside the crawl's words, a headline and a
lead that say it again differently, a typo in the words, web addresses with tracking and language parameters,
and topics instead of words. Line numbers in the tests count from 1 at the first line of each string."""

from __future__ import annotations

# The ministry's two-column heading as a flattened table: the issuer, the number and the date each wrap.
MINISTRY = """\
BỘ THÔNG TIN VÀ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TRUYỀN THÔNG | Độc lập - Tự do - Hạnh phúc
------- | ---------------
Số: 2878/BTTTT- | Hà Nội, ngày 10 tháng 8
VNCERT | năm 2017
V/v tuyên truyền chuẩn hóa thông tin
thuê bao di động

Kính gửi:
| - Các đài phát thanh, truyền hình; |
| - Các doanh nghiệp cung cấp dịch vụ truyền hình trả tiền; ; |
| - Sở Thông tin và Truyền thông các tỉnh, thành phố trực thuộc Trung ương. |
+--------------------------------------------------------------+

Thực hiện Nghị định số 49/2017/NĐ-CP ngày 24/4/2017 của Chính phủ, Bộ Thông tin và Truyền thông đề nghị các đơn vị thực hiện:

1. Chạy chữ trên sóng truyền hình với nội dung: “Thuê bao di đông chưa chuẩn hóa thông tin sẽ bị khóa chiều gọi đi từ 24 giờ ngày 15/8/2017. Chủ thuê bao mang giấy tờ tùy thân đến điểm giao dịch để cập nhật thông tin, chi tiết tại https://mic.gov.vn/chuan-hoa?utm_source=zalo&utm_campaign=tb2017.”
2. Thông tin hỗ trợ: tổng đài chăm sóc khách hàng 18001091 hoặc 9123.

Trân trọng./.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
"""

# A news report of the same letter: a headline and a lead that put the moment as the day after ("Từ 16/8"), the
# words in quotes with the moment as the letter writes it.
NEWS = """\
Từ 16/8, thuê bao di động chưa chuẩn hóa thông tin sẽ bị khóa chiều gọi đi
11/08/2017 09:15 GMT+7
(Thời sự) - Bộ Thông tin và Truyền thông vừa có công văn đề nghị các đài truyền hình và các doanh nghiệp truyền hình trả tiền tuyên truyền về việc chuẩn hóa thông tin thuê bao.
Theo đó, từ ngày 16/8/2017, các nhà mạng sẽ khóa một chiều thuê bao chưa chuẩn hóa thông tin.
Các doanh nghiệp truyền hình trả tiền chạy chữ trên các kênh với nội dung: “Thuê bao di động chưa chuẩn hóa thông tin sẽ bị khóa chiều gọi đi từ 24 giờ ngày 15/8/2017. Mọi thắc mắc xin gọi tổng đài 1800 1091 hoặc 9123.”
Người dân có thể tra cứu tại địa chỉ www.mic.gov.vn/tracuu?hl=en.
"""

# A department with a long name, its heading in one column (the name wraps), topics instead of words, a
# landline and a short number joined by "hoặc", and an officer's own telephone that is not a hotline.
LONG_NAME = """\
ỦY BAN NHÂN DÂN
TỈNH THỪA THIÊN HUẾ
SỞ VĂN HÓA, THỂ THAO
VÀ DU LỊCH
Số: 1502/SVHTTDL-QLVH
V/v tuyên truyền phòng, chống đuối nước
cho trẻ em dịp hè 2024

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thừa Thiên Huế, ngày 20 tháng 5 năm 2024

Kính gửi: Các doanh nghiệp cung cấp dịch vụ truyền hình trả tiền trên địa bàn tỉnh.

Sở Văn hóa, Thể thao và Du lịch đề nghị các doanh nghiệp phối hợp thực hiện:
1. Chạy chữ trên các kênh truyền hình địa phương với các nội dung sau:
- Hè an toàn, không để trẻ em bị đuối nước;
- Đề nghị các đơn vị bố trí thời lượng phù hợp;
- Giới thiệu các lớp dạy bơi miễn phí tại các nhà văn hóa;
- Cha mẹ hãy luôn để mắt tới con khi trẻ chơi gần ao hồ, sông suối.
2. Thời gian: từ ngày 01/6/2024 đến hết ngày 31/8/2024.
Mọi phản ánh xin gọi đường dây nóng 0234.3822.123 hoặc 1022. Xem thêm tại https://svhtt.thuathienhue.gov.vn/he-an-toan?fbclid=IwAR0abc.
Mọi chi tiết xin liên hệ ông Trần Văn Bình, chuyên viên phòng Quản lý văn hóa, điện thoại 0912 345 678.

Trân trọng./.
GIÁM ĐỐC
"""

# A legal-document site's page of a circular: the whole heading run into one line, the rules under the issuer
# and the motto left in it, the minister named in the body by title.
ONE_LINE_HEADING = """\
BỘ THÔNG TIN VÀ TRUYỀN THÔNG -------- Số: 09/2015/TT-BTTTT | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Hà Nội, ngày 24 tháng 4 năm 2015 |
Căn cứ Luật Viễn thông ngày 23 tháng 11 năm 2009;
Bộ trưởng Bộ Thông tin và Truyền thông ban hành Thông tư quy định về quản lý, tổ chức hoạt động ủng hộ qua Cổng thông tin điện tử nhân đạo quốc gia.
"""
