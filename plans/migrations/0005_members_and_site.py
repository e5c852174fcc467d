import django.core.validators
import django.db.models.deletion
import plans.branding
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_year"),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='brand_colour',
            field=models.CharField(blank=True, help_text="A hex code such as #1d70b8, for the bar along the top of the partnership's pages. It must be dark enough for white text on it, and it on white, to be readable (a contrast ratio of 4.5:1). Leave empty for the standard blue.", max_length=7, validators=[plans.branding.validate_brand_colour]),
        ),
        migrations.AddField(
            model_name='partnership',
            name='contact_address',
            field=models.TextField(blank=True, help_text='One line of the address per line.', max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000, 'Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d).')], verbose_name='postal address'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='contact_email',
            field=models.EmailField(blank=True, help_text='Where the public can write to the partnership.', max_length=254, verbose_name='contact e-mail'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='contact_phone',
            field=models.CharField(blank=True, help_text='e.g. 01543 308000.', max_length=40, verbose_name='contact phone'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='logo_digest',
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.AddField(
            model_name='partnership',
            name='logo_type',
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name='partnership',
            name='website',
            field=models.URLField(blank=True, help_text="The partnership's own website, if any."),
        ),
        migrations.CreateModel(
            name='PartnershipLogo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.BinaryField()),
                ('partnership', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='logo', to='plans.partnership')),
            ],
        ),
        migrations.CreateModel(
            name='PublicNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('accessibility', 'Accessibility statement'), ('privacy', 'Privacy notice')], max_length=20)),
                ('body', models.TextField(help_text='Markdown: start each heading with #.', max_length=20000, validators=[django.core.validators.MaxLengthValidator(20000, 'Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d).')])),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='public_notices', to='plans.partnership')),
            ],
            options={
                'ordering': ['partnership', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('partnership', 'kind'), name='unique_public_notice')],
            },
        ),
    ]
